package io.tastemaker.attribution;

import io.tastemaker.engagement.EventType;

import java.util.Locale;
import java.util.Optional;

/** What a shopper did with an item of a served list, as the aggregates count it. */
public enum Outcome {
    IMPRESSION, CLICK, PIN, CART, PURCHASE;

    /** Name in the database and in metrics. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Outcome of(String key) {
        return valueOf(key.toUpperCase(Locale.ROOT));
    }

    /**
     * The outcome an event type counts as. A view (the product page the click led to) and a hide
     * count as none: the click already credits the list.
     */
    static Optional<Outcome> of(EventType type) {
        return Optional.ofNullable(switch (type) {
            case IMPRESSION -> IMPRESSION;
            case CLICK -> CLICK;
            case PIN -> PIN;
            case ADD_TO_CART -> CART;
            case PURCHASE -> PURCHASE;
            case VIEW, HIDE -> null;
        });
    }
}

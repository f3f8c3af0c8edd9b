package io.tastemaker.engagement;

import java.util.Arrays;
import java.util.Optional;

/** What a shopper did with a product, as storefronts name it on the wire. */
public enum EventType {
    PIN("pin"),
    CLICK("click"),
    VIEW("view"),
    ADD_TO_CART("add_to_cart"),
    PURCHASE("purchase"),
    HIDE("hide"),
    /**
     * Products of one list that were rendered in view ({@code productIds}, no {@code productId}):
     * measurement only, they never change a taste profile, co-engagement, trending or query links.
     */
    IMPRESSION("impression");

    private final String wireName;

    EventType(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** Whether the event says something about the shopper's taste (everything but an impression). */
    public boolean engages() {
        return this != IMPRESSION;
    }

    /** Whether the event may carry the {@code recommId} (and position) of the list it came from. */
    public boolean attributable() {
        return this != HIDE;
    }

    public static Optional<EventType> fromWire(String name) {
        return Arrays.stream(values()).filter(t -> t.wireName.equals(name)).findFirst();
    }

    public static String allowed() {
        return String.join(", ", Arrays.stream(values()).map(EventType::wireName).toList());
    }
}

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
    HIDE("hide");

    private final String wireName;

    EventType(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Optional<EventType> fromWire(String name) {
        return Arrays.stream(values()).filter(t -> t.wireName.equals(name)).findFirst();
    }

    public static String allowed() {
        return String.join(", ", Arrays.stream(values()).map(EventType::wireName).toList());
    }
}

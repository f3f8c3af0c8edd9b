package io.tastemaker.models.experiments;

import java.util.Locale;

/** Which side of an A/B experiment a shopper is on. */
public enum Variant {
    CONTROL, TREATMENT;

    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }
}

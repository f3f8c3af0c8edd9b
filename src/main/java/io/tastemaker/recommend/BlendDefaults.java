package io.tastemaker.recommend;

/**
 * Defaults of the blend that the offline evaluation must use exactly as the service does; the
 * config mapping reads them from here, so the two cannot drift apart.
 */
public final class BlendDefaults {

    /** How many of the shopper's most recent distinct items the item-to-item sources start from. */
    public static final String ANCHORS = "3";
    /** Each older anchor counts this much of the next newer one. */
    public static final String ANCHOR_DECAY = "0.6";

    private BlendDefaults() {
    }
}

package io.tastemaker.recommend;

/**
 * Defaults of the blend that the offline evaluation must use exactly as the service does; the
 * config mapping reads them from here, so the two cannot drift apart.
 */
public final class BlendDefaults {

    /** How many of the shopper's most recent distinct items the item-to-item sources start from. */
    public static final String ANCHORS = "3";
    /**
     * Each older anchor counts this much of the next newer one. On Beauty's validation split (fine-tuned
     * model, completed similar scores) 0.4 and 0.3 beat 0.6 (NDCG@10 0.0781 / 0.0779 vs 0.0764): the
     * newest item says most about the next one.
     */
    public static final String ANCHOR_DECAY = "0.4";

    /**
     * The floor under co-engagement's score normaliser (score fusion): 0, the best count of each
     * list scales it, until a validation split says otherwise (see docs/models-and-quality.md).
     */
    public static final String CO_ENGAGEMENT_FLOOR = "0";

    private BlendDefaults() {
    }
}

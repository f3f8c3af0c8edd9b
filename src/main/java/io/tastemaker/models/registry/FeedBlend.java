package io.tastemaker.models.registry;

import java.util.Map;

/**
 * The feed blend stored with a version, as its latest verdict chose it: weights by source name and
 * the floor under co-engagement's score normaliser (null: the configured one applies).
 */
public record FeedBlend(Map<String, Double> weights, Double coEngagementFloor) {

    public static final FeedBlend NONE = new FeedBlend(Map.of(), null);

    public FeedBlend {
        weights = Map.copyOf(weights);
    }
}

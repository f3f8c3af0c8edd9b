package io.tastemaker.models.gate;

import java.util.Map;

/**
 * One version as the gate measured it: HR@10 and NDCG@10 of the whole blend on the test window,
 * with the feed weights (by source name, e.g. {@code similar}) and the floor under co-engagement's
 * score normaliser chosen for it on the validation window.
 *
 * @param coEngagementFloor null in verdicts from before the gate chose one
 */
public record VersionScore(String version, int shoppers, Estimate hitRate, Estimate ndcg, Map<String, Double> feedWeights,
                           Double coEngagementFloor) {
}

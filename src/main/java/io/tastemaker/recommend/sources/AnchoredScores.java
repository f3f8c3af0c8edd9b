package io.tastemaker.recommend.sources;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Scores summed over anchors ({@code anchor weight × score}), remembering for each product the
 * anchor that contributed most: the one its reason names.
 */
final class AnchoredScores {
    private final Map<String, Double> sums = new HashMap<>();
    private final Map<String, Double> bestValue = new HashMap<>();
    private final Map<String, Anchor> bestAnchor = new HashMap<>();

    void add(String productId, Anchor anchor, double score) {
        double value = anchor.weight() * score;
        sums.merge(productId, value, Double::sum);
        if (value > bestValue.getOrDefault(productId, 0.0)) {
            bestValue.put(productId, value);
            bestAnchor.put(productId, anchor);
        }
    }

    Retrieved top(Source source, int limit, Function<Anchor, String> because) {
        return new Retrieved(source, sums.entrySet().stream()
                .filter(e -> bestAnchor.containsKey(e.getKey()))
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed().thenComparing(Map.Entry::getKey))
                .limit(limit)
                .map(e -> new Candidate(e.getKey(), e.getValue(), because.apply(bestAnchor.get(e.getKey()))))
                .toList());
    }
}

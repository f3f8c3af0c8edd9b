package io.tastemaker.evaluation;

import java.util.List;
import java.util.stream.IntStream;

/**
 * Full-ranking offline evaluation: every case is scored against the whole catalog, the items
 * already in the shopper's history are masked, and the target's rank decides the metrics. Ties
 * are broken against the target (an item with the same score and a lower id ranks first), so a
 * scorer cannot gain from ties.
 */
public final class Evaluator {

    /** Scores every item (index = item id; index 0 unused) for one case; unscored items stay 0. */
    @FunctionalInterface
    public interface Scorer {
        void score(LeaveOneOut.Case c, float[] scores);
    }

    private Evaluator() {
    }

    public static RankingMetrics evaluate(List<LeaveOneOut.Case> cases, int itemCount, Scorer scorer) {
        return IntStream.range(0, cases.size()).parallel().collect(RankingMetrics::new, (metrics, i) -> {
            LeaveOneOut.Case c = cases.get(i);
            float[] scores = new float[itemCount + 1];
            scorer.score(c, scores);
            metrics.add(rank(scores, c.history(), c.target()));
        }, RankingMetrics::addAll);
    }

    /** How many unmasked items rank above the target (0 = first). */
    static int rank(float[] scores, int[] history, int target) {
        boolean[] masked = new boolean[scores.length];
        masked[0] = true;
        for (int item : history) {
            masked[item] = true;
        }
        masked[target] = false; // a shopper may come back to an item: it is still the one to find
        float own = scores[target];
        int rank = 0;
        for (int item = 1; item < scores.length; item++) {
            if (item != target && !masked[item] && (scores[item] > own || (scores[item] == own && item < target))) {
                rank++;
            }
        }
        return rank;
    }
}

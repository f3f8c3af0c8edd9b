package io.tastemaker.evaluation;

import java.util.List;

/** The popularity baseline: every shopper gets the items most interacted with in training. */
public final class PopularityScorer implements Evaluator.Scorer {

    private final float[] counts;

    public PopularityScorer(List<int[]> training, int itemCount) {
        counts = new float[itemCount + 1];
        for (int[] items : training) {
            for (int item : items) {
                counts[item]++;
            }
        }
    }

    @Override
    public void score(LeaveOneOut.Case c, float[] scores) {
        System.arraycopy(counts, 0, scores, 0, counts.length);
    }
}

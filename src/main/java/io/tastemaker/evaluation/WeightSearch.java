package io.tastemaker.evaluation;

import io.tastemaker.recommend.Weights;
import io.tastemaker.recommend.sources.Source;

import java.util.List;
import java.util.Map;
import java.util.function.ObjIntConsumer;
import java.util.function.ToDoubleFunction;

/**
 * Blend weights chosen by coordinate ascent on a validation objective (NDCG@10): each tuned
 * source in turn tries every value of {@link #GRID} with the others held, the best kept; two
 * rounds. A source left out of {@code tuned} keeps its weight as the scale (co-engagement at 1).
 * At most {@code 2 × |tuned| × |GRID|} evaluations of the objective (66 for three sources), so a
 * search over a few thousand shoppers' candidates takes seconds.
 */
final class WeightSearch {

    static final double[] GRID = {0, 0.05, 0.1, 0.2, 0.35, 0.5, 0.75, 1, 1.5, 2, 3};
    static final int ROUNDS = 2;

    /** What the search chose and its objective there. */
    record Result(Weights weights, double value) {
    }

    private WeightSearch() {
    }

    /** @param afterRound told the best so far after each round (its number from 1), for logs */
    static Result choose(Weights start, List<Source> tuned, ToDoubleFunction<Weights> objective,
                         ObjIntConsumer<Result> afterRound) {
        Result best = new Result(start, objective.applyAsDouble(start));
        for (int round = 1; round <= ROUNDS; round++) {
            for (Source source : tuned) {
                for (double value : GRID) {
                    Weights w = best.weights().with(Map.of(source, value));
                    if (w.equals(best.weights()) || w.bySource().isEmpty()) {
                        continue;
                    }
                    double v = objective.applyAsDouble(w);
                    if (v > best.value()) {
                        best = new Result(w, v);
                    }
                }
            }
            afterRound.accept(best, round);
        }
        return best;
    }
}

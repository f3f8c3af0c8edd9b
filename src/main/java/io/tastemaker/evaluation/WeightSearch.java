package io.tastemaker.evaluation;

import io.tastemaker.recommend.Weights;
import io.tastemaker.recommend.sources.Source;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.ToDoubleFunction;

/**
 * Blend weights chosen by coordinate ascent on a validation objective (NDCG@10): each tuned
 * source in turn tries every value of {@link #GRID} with the others held, the best kept; two
 * rounds. A source left out of {@code tuned} keeps its weight as the scale (co-engagement at 1).
 * At most {@code 2 × |tuned| × |GRID|} evaluations of the objective (88 for four sources), so a
 * search over a few thousand shoppers' candidates takes seconds. The offline evaluation
 * ({@link BlendEvaluation}) and the evaluation gate ({@link GateEvaluation}) choose the same way.
 */
final class WeightSearch {

    static final double[] GRID = {0, 0.05, 0.1, 0.2, 0.35, 0.5, 0.75, 1, 1.5, 2, 3};
    static final int ROUNDS = 2;
    /** The floors under co-engagement's score normaliser a score-fusion search tries (0: none). */
    static final double[] CO_ENGAGEMENT_FLOORS = {0, 2, 4, 8, 16};

    /** What the search chose and its objective there. */
    record Result(Weights weights, double value) {
    }

    private WeightSearch() {
    }

    /** @param log told the best so far after each round, for logs */
    static Result choose(Weights start, List<Source> tuned, ToDoubleFunction<Weights> objective, Consumer<String> log) {
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
            log.accept(String.format(Locale.ROOT, "round %d: %s NDCG@10 %.4f", round, best.weights(), best.value()));
        }
        return best;
    }

    /**
     * For score fusion: the weights ({@link #choose}), then the floor under co-engagement's
     * normaliser at those weights, then, if another floor won, the weights again under it (a floor
     * shrinks co-engagement's part, the other sources rebalance).
     */
    static Result chooseWithFloor(Weights start, List<Source> tuned, ToDoubleFunction<Weights> objective,
                                  Consumer<String> log) {
        Result unfloored = choose(start, tuned, objective, log);
        Result best = unfloored;
        for (double floor : CO_ENGAGEMENT_FLOORS) {
            Weights w = unfloored.weights().withFloor(Source.CO_ENGAGEMENT, floor);
            if (w.equals(unfloored.weights())) {
                continue;
            }
            double v = objective.applyAsDouble(w);
            log.accept(String.format(Locale.ROOT, "co-engagement floor %s: NDCG@10 %.4f", floor, v));
            if (v > best.value()) {
                best = new Result(w, v);
            }
        }
        return best == unfloored ? best : choose(best.weights(), tuned, objective, log);
    }
}

package io.tastemaker.models.registry;

import io.tastemaker.models.gate.Estimate;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The content-only gate's intervals: the normal approximation over per-shopper values, kept within [0, 1]. */
class EvaluationGateTest {

    @Test
    void a_hit_rate_of_30_in_100_shoppers_has_the_normal_approximation_interval() {
        List<ModelEvaluation.Judged> judged = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            judged.add(new ModelEvaluation.Judged(i < 30 ? 1 : 0, 0, null));
        }
        Estimate hitRate = EvaluationGate.estimate(judged, ModelEvaluation.Judged::hit);
        double half = 1.96 * Math.sqrt(0.3 * 0.7 * 100 / 99 / 100);
        assertThat(hitRate.value()).isCloseTo(0.3, within(1e-12));
        assertThat(hitRate.low()).isCloseTo(0.3 - half, within(1e-12));
        assertThat(hitRate.high()).isCloseTo(0.3 + half, within(1e-12));
    }

    @Test
    void no_shoppers_or_all_hits_stay_within_zero_and_one() {
        assertThat(EvaluationGate.estimate(List.of(), ModelEvaluation.Judged::hit)).isEqualTo(new Estimate(0, 0, 0));
        List<ModelEvaluation.Judged> allHits = List.of(new ModelEvaluation.Judged(1, 1, null), new ModelEvaluation.Judged(1, 1, null));
        assertThat(EvaluationGate.estimate(allHits, ModelEvaluation.Judged::gain)).isEqualTo(new Estimate(1, 1, 1));
    }
}

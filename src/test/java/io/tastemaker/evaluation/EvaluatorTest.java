package io.tastemaker.evaluation;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The evaluation's protocol and metrics on data small enough to work out by hand. */
class EvaluatorTest {

    // items 1..6; item 3 is the most popular in training, then 2
    private static final Interactions DATA = new Interactions(6, List.of(
            new int[]{1, 2, 3, 4},    // validation target 3, test target 4
            new int[]{3, 2, 3, 5},    // validation target 3, test target 5
            new int[]{2, 3, 6}), Map.of());

    @Test
    void leave_one_out_holds_out_the_last_item_for_test_and_the_one_before_for_validation() {
        List<LeaveOneOut.Case> test = LeaveOneOut.cases(DATA, LeaveOneOut.Target.TEST);
        List<LeaveOneOut.Case> validation = LeaveOneOut.cases(DATA, LeaveOneOut.Target.VALIDATION);

        assertThat(test).extracting(LeaveOneOut.Case::target).containsExactly(4, 5, 6);
        assertThat(test.get(0).history()).containsExactly(1, 2, 3);
        assertThat(validation).extracting(LeaveOneOut.Case::target).containsExactly(3, 3, 3);
        assertThat(validation.get(2).history()).containsExactly(2);
        assertThat(LeaveOneOut.training(DATA, LeaveOneOut.Target.TEST).get(1)).containsExactly(3, 2, 3);
    }

    @Test
    void ranks_mask_the_history_and_break_ties_against_the_target() {
        float[] scores = {0, 9, 8, 7, 7, 1, 7};   // index = item id
        assertThat(Evaluator.rank(scores, new int[]{1}, 4)).isEqualTo(2); // items 2 and 3 (tie, lower id) above
        assertThat(Evaluator.rank(scores, new int[]{1, 2, 3}, 4)).isZero();
        assertThat(Evaluator.rank(scores, new int[]{}, 6)).isEqualTo(4); // 1, 2, and 3 and 4 by the tie rule
    }

    @Test
    void hit_rate_and_ndcg_follow_their_definitions() {
        RankingMetrics metrics = new RankingMetrics();
        metrics.add(0);   // a hit everywhere, gain 1
        metrics.add(6);   // a hit at 10 and 20, gain 1/log2(8) = 1/3
        metrics.add(25);  // a miss

        assertThat(metrics.hitRate(5)).isCloseTo(1 / 3.0, within(1e-12));
        assertThat(metrics.hitRate(10)).isCloseTo(2 / 3.0, within(1e-12));
        assertThat(metrics.ndcg(5)).isCloseTo(1 / 3.0, within(1e-12));
        assertThat(metrics.ndcg(10)).isCloseTo((1 + 1 / 3.0) / 3, within(1e-12));
    }

    @Test
    void the_popularity_baseline_is_scored_on_full_ranking() {
        List<int[]> training = LeaveOneOut.training(DATA, LeaveOneOut.Target.TEST);
        // training counts: 1→1, 2→3, 3→4, 4→0, 5→0, 6→0
        RankingMetrics metrics = Evaluator.evaluate(LeaveOneOut.cases(DATA, LeaveOneOut.Target.TEST), DATA.itemCount(),
                new PopularityScorer(training, DATA.itemCount()));

        // user 1 (history 1,2,3): 4,5,6 tie at 0 → target 4 ranks 0; user 2 (history 3,2,3): 1 ranks above,
        // then 4 (tie, lower id) → target 5 ranks 2; user 3 (history 2,3): 1, 4, 5 above → target 6 ranks 3
        assertThat(metrics.cases()).isEqualTo(3);
        assertThat(metrics.hitRate(5)).isEqualTo(1.0);
        assertThat(metrics.ndcg(5)).isCloseTo((1 + 1 / (Math.log(4) / Math.log(2)) + 1 / (Math.log(5) / Math.log(2))) / 3,
                within(1e-12));
    }
}

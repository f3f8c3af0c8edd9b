package io.tastemaker.models.experiments;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ClusteredRatioTest {

    @Test
    void the_variance_of_a_ratio_is_the_spread_between_shoppers_computed_by_hand() {
        // (impressions, clicks) of four shoppers: R = 16 / 100 = 0.16, mean impressions 25
        // residuals y − R·x: −0.6, 0.8, −1.8, 1.6; squares sum to 6.8; Var = 6.8 / (4 · 3 · 25²) = 6.8 / 7500
        ClusteredRatio ratio = ratio(new double[][]{{10, 1}, {20, 4}, {30, 3}, {40, 8}});

        assertThat(ratio.shoppers()).isEqualTo(4);
        assertThat(ratio.ratio()).isCloseTo(0.16, within(1e-12));
        assertThat(ratio.variance()).isCloseTo(6.8 / 7500, within(1e-12));
    }

    @Test
    void shoppers_who_click_all_or_nothing_make_the_ratio_far_less_certain_than_independent_items_would() {
        // two shoppers never click, two click half of what they see: R = 10 / 40 = 0.25
        // residuals −2.5, −2.5, 2.5, 2.5: Var = 25 / (4 · 3 · 10²) = 0.0208333
        ClusteredRatio ratio = ratio(new double[][]{{10, 0}, {10, 0}, {10, 5}, {10, 5}});
        double itemLevel = 0.25 * 0.75 / 40; // the binomial variance an item-level z-test uses: 0.0046875

        assertThat(ratio.variance()).isCloseTo(25.0 / 1200, within(1e-12));
        assertThat(ratio.variance() / itemLevel).isCloseTo(4.444, within(1e-3));
    }

    @Test
    void a_mean_per_shopper_is_the_ratio_over_one_a_shopper_with_the_variance_of_a_mean() {
        // revenue 0, 10, 20, 50: mean 20; squared deviations 400 + 100 + 0 + 900 = 1400; 1400 / (4 · 3)
        ClusteredRatio revenue = ratio(new double[][]{{1, 0}, {1, 10}, {1, 20}, {1, 50}});

        assertThat(revenue.ratio()).isEqualTo(20);
        assertThat(revenue.variance()).isCloseTo(1400.0 / 12, within(1e-9));
    }

    @Test
    void without_a_denominator_or_a_second_shopper_nothing_is_defined() {
        assertThat(ratio(new double[][]{{0, 0}, {0, 0}}).ratio()).isNaN();
        assertThat(ratio(new double[][]{{0, 0}, {0, 0}}).variance()).isNaN();
        assertThat(ratio(new double[][]{{10, 2}}).ratio()).isEqualTo(0.2);
        assertThat(ratio(new double[][]{{10, 2}}).variance()).isNaN();
        assertThat(ratio(new double[][]{{10, 2}, {10, 2}}).variance()).isZero();
    }

    private static ClusteredRatio ratio(double[][] shoppers) {
        ClusteredRatio ratio = new ClusteredRatio();
        for (double[] shopper : shoppers) {
            ratio.add(shopper[0], shopper[1]);
        }
        return ratio;
    }
}

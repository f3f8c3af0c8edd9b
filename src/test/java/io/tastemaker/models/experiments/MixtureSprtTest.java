package io.tastemaker.models.experiments;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class MixtureSprtTest {

    /** φ² = 0.01 and 100 units: k = 1, so Λ = exp(z²/4) / √2. */
    private static final MixtureSprt TEST = new MixtureSprt(0.05, 0.01);

    @Test
    void the_p_value_and_interval_match_the_mixture_likelihood_ratio_computed_by_hand() {
        // estimate 2, variance 0.25: z² = 16, ln Λ = 4 − ln 2 / 2, p = e^−4 · √2
        assertThat(TEST.logLikelihoodRatio(2, 0.25, 100)).isCloseTo(4 - Math.log(2) / 2, within(1e-12));
        assertThat(TEST.pValue(2, 0.25, 100)).isCloseTo(0.0259022, within(1e-7));
        // half width √(0.25 · 2 · (2 ln 20 + ln 2))
        assertThat(TEST.halfWidth(0.25, 100)).isCloseTo(1.8281974, within(1e-7));
    }

    @Test
    void the_interval_excludes_zero_exactly_when_the_p_value_is_below_alpha() {
        double half = TEST.halfWidth(0.25, 100);
        assertThat(TEST.pValue(half, 0.25, 100)).isCloseTo(0.05, within(1e-12));
        assertThat(TEST.pValue(half * 1.01, 0.25, 100)).isLessThan(0.05);
        assertThat(TEST.pValue(half * 0.99, 0.25, 100)).isGreaterThan(0.05);
        assertThat(TEST.pValue(0, 0.25, 100)).isEqualTo(1);
    }

    @Test
    void the_ratio_interval_is_the_set_of_ratios_whose_contrast_is_not_rejected() {
        double a = 3;
        double va = 0.04;
        double b = 2;
        double vb = 0.01;
        double[] bounds = TEST.ratioBounds(a, va, b, vb, 100);
        for (double rho : bounds) { // on the edge the contrast a − ρb sits exactly at p = α
            assertThat(TEST.pValue(a - rho * b, va + rho * rho * vb, 100)).isCloseTo(0.05, within(1e-9));
        }
        assertThat(bounds[0]).isLessThan(a / b);
        assertThat(bounds[1]).isGreaterThan(a / b);
        assertThat(TEST.ratioBounds(a, va, 0.1, vb, 100)).as("a denominator not known to be away from 0").isNull();
    }

    @Test
    void tuned_for_a_planned_size_its_interval_is_narrowest_there() {
        MixtureSprt tuned = MixtureSprt.tightestAt(0.05, 10_000);
        // (2 ln 20 + ln(2 ln 20 + 1)) / 10,000
        assertThat(tuned.mixing()).isCloseTo(7.9361546e-4, within(1e-10));
        double variance = 1.0 / 10_000;
        double width = tuned.halfWidth(variance, 10_000);
        assertThat(new MixtureSprt(0.05, tuned.mixing() * 3).halfWidth(variance, 10_000)).isGreaterThan(width);
        assertThat(new MixtureSprt(0.05, tuned.mixing() / 3).halfWidth(variance, 10_000)).isGreaterThan(width);
        // the price of looking at will: wider than the 1.96 standard errors of a single look
        assertThat(width / Math.sqrt(variance)).isCloseTo(3.03, within(0.01));
    }

    @Test
    void nonsense_parameters_are_refused() {
        assertThatThrownBy(() -> new MixtureSprt(1.5, 0.01)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new MixtureSprt(0.05, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}

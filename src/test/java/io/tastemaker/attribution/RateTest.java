package io.tastemaker.attribution;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class RateTest {

    @Test
    void wilson_interval_matches_the_textbook_values() {
        // 10 successes in 100 trials: Wilson 95 % is [0.0552, 0.1744]
        Rate rate = Rate.of(10, 100);
        assertThat(rate.rate()).isEqualTo(0.1);
        assertThat(rate.low()).isCloseTo(0.0552, within(1e-4));
        assertThat(rate.high()).isCloseTo(0.1744, within(1e-4));
    }

    @Test
    void no_successes_still_has_an_upper_bound_above_zero() {
        Rate rate = Rate.of(0, 40);
        assertThat(rate.rate()).isZero();
        assertThat(rate.low()).isZero();
        assertThat(rate.high()).isCloseTo(0.0876, within(1e-4));
    }

    @Test
    void no_trials_or_more_successes_than_trials_has_no_interval() {
        assertThat(Rate.of(0, 0)).isEqualTo(new Rate(null, null, null));
        assertThat(Rate.of(3, 2)).isEqualTo(new Rate(1.5, null, null));
    }
}

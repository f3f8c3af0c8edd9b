package io.tastemaker.operations;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Rates are the growth over the last minute, not since start. */
class RateWindowTest {

    @Test
    void a_rate_is_the_growth_over_the_last_window_not_since_start() {
        RateWindow window = new RateWindow(60_000);
        // 10 events/s for the first two minutes, then 1/s
        double total = 0;
        for (long t = 0; t <= 180_000; t += 5_000) {
            window.record(t, Map.of("events", total));
            total += t < 120_000 ? 50 : 5;
        }
        assertThat(window.seconds()).isEqualTo(60.0);
        assertThat(window.perSecond("events")).isCloseTo(1.0, within(1e-9));
    }

    @Test
    void shortly_after_start_it_covers_what_it_has_seen_and_says_so() {
        RateWindow window = new RateWindow(60_000);
        assertThat(window.perSecond("events")).isNull();
        window.record(0, Map.of("events", 0.0));
        window.record(10_000, Map.of("events", 30.0));
        assertThat(window.seconds()).isEqualTo(10.0);
        assertThat(window.perSecond("events")).isEqualTo(3.0);
    }

    @Test
    void a_counter_that_appears_inside_the_window_counts_from_zero_and_an_unknown_one_is_zero() {
        RateWindow window = new RateWindow(60_000);
        window.record(0, Map.of());
        window.record(20_000, Map.of("calls", 40.0));
        assertThat(window.growth("calls")).isEqualTo(40.0);
        assertThat(window.perSecond("nothing")).isEqualTo(0.0);
    }
}

package io.tastemaker.models.gate;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class TimeSplitTest {

    private static final Instant START = Instant.parse("2026-11-01T00:00:00Z");

    /** One event an hour for 100 hours. */
    private static List<Instant> hourly() {
        List<Instant> times = new ArrayList<>();
        for (int h = 0; h < 100; h++) {
            times.add(START.plus(Duration.ofHours(h)));
        }
        return times;
    }

    @Test
    void the_cut_off_leaves_the_recent_share_of_the_engagement_after_it() {
        Window w = new TimeSplit(0.2, Optional.empty()).window(hourly(), null);

        assertThat(w.cutOff()).isEqualTo(START.plus(Duration.ofHours(80)));
        assertThat(w.end()).isEqualTo(START.plus(Duration.ofHours(99)));
        assertThat(w.validationEnd()).isEqualTo(START.plus(Duration.ofMinutes(80 * 60 + 19 * 30)));
    }

    @Test
    void a_span_puts_the_cut_off_that_long_before_the_latest_engagement() {
        Window w = new TimeSplit(0.2, Optional.of(Duration.ofHours(10))).window(hourly(), null);

        assertThat(w.cutOff()).isEqualTo(START.plus(Duration.ofHours(89)));
        assertThat(w.validationEnd()).isEqualTo(START.plus(Duration.ofMinutes(94 * 60)));
    }

    @Test
    void the_cut_off_never_falls_before_what_a_version_learnt_from() {
        Instant trainedUntil = START.plus(Duration.ofHours(90));
        Window w = new TimeSplit(0.2, Optional.empty()).window(hourly(), trainedUntil);
        assertThat(w.cutOff()).isEqualTo(trainedUntil);

        Window past = new TimeSplit(0.2, Optional.empty()).window(hourly(), START.plus(Duration.ofHours(200)));
        assertThat(past.validationEnd()).isAfter(past.end().minusNanos(1));
    }
}

package io.tastemaker.resilience;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class DeadlineTest {

    private final AtomicLong now = new AtomicLong(1_000_000);

    @Test
    void countsDownOnItsClockAndNeverBelowZero() {
        Deadline deadline = Deadline.in(Duration.ofMillis(250), now::get);
        assertThat(deadline.remainingMillis()).isEqualTo(250);
        assertThat(deadline.expired()).isFalse();

        now.addAndGet(Duration.ofMillis(200).toNanos());
        assertThat(deadline.remainingMillis()).isEqualTo(50);

        now.addAndGet(Duration.ofMillis(100).toNanos());
        assertThat(deadline.remainingNanos()).isZero();
        assertThat(deadline.expired()).isTrue();
    }

    @Test
    void noDeadlineNeverExpires() {
        assertThat(Deadline.none().bounded()).isFalse();
        assertThat(Deadline.none().expired()).isFalse();
        assertThat(Deadline.none().remainingNanos()).isEqualTo(Long.MAX_VALUE);
    }
}

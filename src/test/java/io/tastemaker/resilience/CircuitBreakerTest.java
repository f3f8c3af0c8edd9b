package io.tastemaker.resilience;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class CircuitBreakerTest {

    private final AtomicLong now = new AtomicLong();
    private final CircuitBreaker breaker = new CircuitBreaker(4, 3, 0.5, Duration.ofSeconds(10), now::get);

    @Test
    void should_stay_closed_until_enough_calls_were_judged() {
        assertThat(breaker.onFailure()).isFalse();
        assertThat(breaker.onFailure()).isFalse();
        assertThat(breaker.tryAcquire()).isTrue();
        assertThat(breaker.onFailure()).isTrue();
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(breaker.tryAcquire()).isFalse();
    }

    @Test
    void should_judge_only_the_last_window_of_calls() {
        breaker.onFailure();
        breaker.onSuccess();
        breaker.onSuccess();
        breaker.onSuccess(); // window: F S S S → 25 %
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
        breaker.onSuccess(); // the failure leaves the window: S S S S
        assertThat(breaker.onFailure()).isFalse(); // S S S F → 25 %
        assertThat(breaker.onFailure()).isTrue(); // S S F F → 50 %
    }

    @Test
    void should_let_one_trial_call_through_after_the_open_period_and_close_on_its_success() {
        breaker.onFailure();
        breaker.onFailure();
        breaker.onFailure();
        now.addAndGet(Duration.ofSeconds(9).toNanos());
        assertThat(breaker.tryAcquire()).isFalse();
        now.addAndGet(Duration.ofSeconds(1).toNanos());

        assertThat(breaker.tryAcquire()).isTrue();
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.HALF_OPEN);
        assertThat(breaker.tryAcquire()).isFalse(); // one trial at a time
        breaker.onSuccess();

        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(breaker.onFailure()).isFalse(); // a clean slate: one failure is not enough
    }

    @Test
    void should_open_again_when_the_trial_fails() {
        breaker.onFailure();
        breaker.onFailure();
        breaker.onFailure();
        now.addAndGet(Duration.ofSeconds(10).toNanos());
        assertThat(breaker.tryAcquire()).isTrue();

        assertThat(breaker.onFailure()).isTrue();
        assertThat(breaker.tryAcquire()).isFalse();
    }

    @Test
    void should_tell_a_refused_caller_how_long_it_stays_open() {
        assertThat(breaker.openFor()).isEqualTo(Duration.ZERO);
        breaker.onFailure();
        breaker.onFailure();
        breaker.onFailure();
        now.addAndGet(Duration.ofSeconds(4).toNanos());

        assertThat(breaker.openFor()).isEqualTo(Duration.ofSeconds(6));
        now.addAndGet(Duration.ofSeconds(7).toNanos());
        assertThat(breaker.openFor()).isEqualTo(Duration.ZERO);
    }
}

package io.tastemaker.resilience;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RequestBudgetTest {

    private final AtomicLong clock = new AtomicLong();

    @Test
    void outside_a_request_there_is_no_deadline_and_nothing_is_recorded() {
        RequestBudget none = RequestBudget.current();
        assertThat(none.active()).isFalse();
        assertThat(none.cap(Duration.ofSeconds(60))).isEqualTo(Duration.ofSeconds(60));
        none.degrade("profile");
        assertThat(none.degraded()).isEmpty();
    }

    @Test
    void a_bound_budget_cuts_waits_to_what_is_left_and_collects_what_was_missed() {
        RequestBudget budget = RequestBudget.within(Deadline.in(Duration.ofMillis(250), clock::get));
        try (RequestBudget.Scope bound = budget.bind()) {
            assertThat(RequestBudget.current()).isSameAs(budget);
            clock.addAndGet(Duration.ofMillis(100).toNanos());
            assertThat(RequestBudget.current().cap(Duration.ofSeconds(60))).isEqualTo(Duration.ofMillis(150));
            assertThat(RequestBudget.current().cap(Duration.ofMillis(20))).isEqualTo(Duration.ofMillis(20));
            RequestBudget.current().degrade("trending");
            RequestBudget.current().degrade("coEngagement");
            RequestBudget.current().degrade("trending");
            clock.addAndGet(Duration.ofSeconds(1).toNanos());
            assertThat(RequestBudget.current().cap(Duration.ofSeconds(60))).as("never zero: zero means forever to some clients")
                    .isEqualTo(Duration.ofMillis(1));
        }
        assertThat(budget.degraded()).containsExactly("coEngagement", "trending");
        assertThat(RequestBudget.current().active()).as("unbound after the scope").isFalse();
    }

    @Test
    void a_dependency_that_keeps_failing_is_skipped_until_a_trial_call_succeeds() throws Exception {
        Dependency postgres = new Dependency("postgresql", new Dependency.Settings(4, 2, 0.5, Duration.ofMillis(50)));
        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> postgres.call(() -> {
                throw new IllegalStateException("hung");
            })).isInstanceOf(IllegalStateException.class);
        }
        assertThat(postgres.stateValue()).isEqualTo(1);
        assertThatThrownBy(() -> postgres.call(() -> "never asked")).isInstanceOf(Dependency.Down.class);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> {
            try {
                return "back".equals(postgres.call(() -> "back"));
            } catch (Dependency.Down skipped) {
                return false;
            }
        });
        assertThat(postgres.state()).isEqualTo(CircuitBreaker.State.CLOSED);
    }
}

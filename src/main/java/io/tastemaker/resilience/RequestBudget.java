package io.tastemaker.resilience;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What one request may spend and what it had to do without: its {@link Deadline}, and the names
 * of the steps (sources, the profile read, vector look-ups) that failed or ran out of time, so
 * the answer can say it is degraded. Bound to the thread that answers the request (lists are
 * retrieved and ranked on one worker thread, so this costs a thread-local read per guarded call
 * and no thread hop); code deep in an adapter (a SQL wait, a gRPC call) reads the deadline from
 * here without every port carrying it. Without a bound budget ({@link #current()} outside a
 * request: offline evaluation, consumers, previews) there is no deadline and failures propagate.
 */
public final class RequestBudget {

    private static final ThreadLocal<RequestBudget> CURRENT = new ThreadLocal<>();
    private static final RequestBudget UNBOUND = new RequestBudget(Deadline.none(), false);

    private final Deadline deadline;
    private final boolean active;
    private final Set<String> degraded = new TreeSet<>();

    private RequestBudget(Deadline deadline, boolean active) {
        this.deadline = deadline;
        this.active = active;
    }

    /** A budget for a request that must be answered within {@code deadline}. */
    public static RequestBudget within(Deadline deadline) {
        return new RequestBudget(deadline, true);
    }

    /**
     * A deadline without a request: calls are cut to it, but failures propagate (a background
     * refresh of a cache must not hold its thread for a dependency's own long timeout).
     */
    public static RequestBudget bounded(Deadline deadline) {
        return new RequestBudget(deadline, false);
    }

    /** The budget bound to this thread, or an inactive one without a deadline. */
    public static RequestBudget current() {
        RequestBudget bound = CURRENT.get();
        return bound == null ? UNBOUND : bound;
    }

    /** Binds this budget to the calling thread until the returned scope is closed. */
    public Scope bind() {
        RequestBudget previous = CURRENT.get();
        CURRENT.set(this);
        return () -> {
            if (previous == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(previous);
            }
        };
    }

    /** Whether a request is being answered: failures are then recorded here instead of thrown. */
    public boolean active() {
        return active;
    }

    public Deadline deadline() {
        return deadline;
    }

    /** {@code max}, or less if the deadline comes sooner; at least a millisecond (a zero wait means "forever" to some clients). */
    public Duration cap(Duration max) {
        long remaining = Math.max(deadline.remainingNanos(), 1_000_000);
        return remaining >= max.toNanos() ? max : Duration.ofNanos(remaining);
    }

    /** Records that {@code step} is missing from the answer. Ignored outside a request. */
    public void degrade(String step) {
        if (active) {
            synchronized (degraded) {
                degraded.add(step);
            }
        }
    }

    /** The missing steps, sorted; empty when the answer is whole. */
    public List<String> degraded() {
        synchronized (degraded) {
            return List.copyOf(degraded);
        }
    }

    /** Ends a binding; closing never throws. */
    @FunctionalInterface
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }
}

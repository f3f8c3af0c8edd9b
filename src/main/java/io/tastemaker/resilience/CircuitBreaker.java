package io.tastemaker.resilience;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Stops calling a failing model server. Judges the last {@code window} calls; when at least
 * {@code minimumCalls} were made and the failed share reaches {@code failureRatio} it opens, and
 * every request is answered at once without the model for {@code openFor}. Then one trial call
 * goes through (half-open): success closes it with a clean slate, failure opens it again.
 */
public final class CircuitBreaker {

    public enum State {
        CLOSED, OPEN, HALF_OPEN;

        /** 0 closed, 1 open, 0.5 half-open (one trial call allowed): the value of a state gauge. */
        public double gaugeValue() {
            return switch (this) {
                case CLOSED -> 0;
                case OPEN -> 1;
                case HALF_OPEN -> 0.5;
            };
        }
    }

    private final int window;
    private final int minimumCalls;
    private final double failureRatio;
    private final long openForNanos;
    private final LongSupplier nanoClock;

    /** Outcomes of the last calls as a ring: true = failed. */
    private final boolean[] failed;
    private int recorded;
    private int next;
    private int failures;
    private State state = State.CLOSED;
    private long openedAt;
    private boolean trialInFlight;

    public CircuitBreaker(int window, int minimumCalls, double failureRatio, Duration openFor, LongSupplier nanoClock) {
        this.window = window;
        this.minimumCalls = minimumCalls;
        this.failureRatio = failureRatio;
        this.openForNanos = openFor.toNanos();
        this.nanoClock = nanoClock;
        this.failed = new boolean[window];
    }

    /** Whether a call may go out now; in half-open state only one trial call at a time. */
    public synchronized boolean tryAcquire() {
        if (state == State.OPEN && nanoClock.getAsLong() - openedAt >= openForNanos) {
            state = State.HALF_OPEN;
            trialInFlight = false;
        }
        return switch (state) {
            case CLOSED -> true;
            case OPEN -> false;
            case HALF_OPEN -> {
                if (trialInFlight) {
                    yield false;
                }
                trialInFlight = true;
                yield true;
            }
        };
    }

    public synchronized void onSuccess() {
        if (state == State.HALF_OPEN) {
            reset(State.CLOSED);
        } else if (state == State.CLOSED) {
            record(false);
        }
    }

    /** Returns whether this failure opened the breaker. */
    public synchronized boolean onFailure() {
        if (state == State.HALF_OPEN) {
            open();
            return true;
        }
        if (state == State.OPEN) {
            return false; // a call that went out before the breaker opened
        }
        record(true);
        if (recorded >= minimumCalls && failures >= failureRatio * recorded) {
            open();
            return true;
        }
        return false;
    }

    public synchronized State state() {
        return state;
    }

    /** How long the breaker stays open from now (zero unless open): what a refused caller should wait. */
    public synchronized Duration openFor() {
        if (state != State.OPEN) {
            return Duration.ZERO;
        }
        return Duration.ofNanos(Math.max(0, openForNanos - (nanoClock.getAsLong() - openedAt)));
    }

    private void record(boolean failure) {
        if (recorded == window) {
            failures -= failed[next] ? 1 : 0;
        } else {
            recorded++;
        }
        failed[next] = failure;
        failures += failure ? 1 : 0;
        next = (next + 1) % window;
    }

    private void open() {
        reset(State.OPEN);
        openedAt = nanoClock.getAsLong();
    }

    private void reset(State to) {
        state = to;
        recorded = 0;
        next = 0;
        failures = 0;
        trialInFlight = false;
    }
}

package io.tastemaker.resilience;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The moment by which a request must be answered. Every call made for the request is given what
 * is left of it, so a slow dependency costs at most the request's budget, never its own timeout.
 */
public final class Deadline {

    private static final Deadline NONE = new Deadline(Long.MAX_VALUE, System::nanoTime, true);

    private final long expiresAtNanos;
    private final LongSupplier nanoClock;
    private final boolean unbounded;

    private Deadline(long expiresAtNanos, LongSupplier nanoClock, boolean unbounded) {
        this.expiresAtNanos = expiresAtNanos;
        this.nanoClock = nanoClock;
        this.unbounded = unbounded;
    }

    /** A deadline {@code budget} from now. */
    public static Deadline in(Duration budget) {
        return in(budget, System::nanoTime);
    }

    /** A deadline {@code budget} from now on {@code nanoClock} (tests drive the clock). */
    public static Deadline in(Duration budget, LongSupplier nanoClock) {
        return new Deadline(nanoClock.getAsLong() + budget.toNanos(), nanoClock, false);
    }

    /** No deadline: offline work (evaluation, previews of a draft rule) that may take its time. */
    public static Deadline none() {
        return NONE;
    }

    public boolean expired() {
        return remainingNanos() <= 0;
    }

    /** What is left, never negative; {@code Long.MAX_VALUE} nanoseconds without a deadline. */
    public long remainingNanos() {
        if (unbounded) {
            return Long.MAX_VALUE;
        }
        return Math.max(0, expiresAtNanos - nanoClock.getAsLong());
    }

    public long remainingMillis() {
        return unbounded ? Long.MAX_VALUE : TimeUnit.NANOSECONDS.toMillis(remainingNanos());
    }

    public boolean bounded() {
        return !unbounded;
    }

    @Override
    public String toString() {
        return unbounded ? "no deadline" : remainingMillis() + " ms left";
    }
}

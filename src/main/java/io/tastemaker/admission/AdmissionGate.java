package io.tastemaker.admission;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A bound on the requests of one class in flight at once: a request either takes a place at
 * once or is refused at once, so nothing waits in an unbounded queue behind the ones already
 * admitted (whose latency stays what the instance can give) and memory stays bounded.
 */
public final class AdmissionGate {

    private final int limit;
    private final AtomicInteger inFlight = new AtomicInteger();

    public AdmissionGate(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("an admission limit must be at least 1, not " + limit);
        }
        this.limit = limit;
    }

    /** Takes a place; false (and nothing taken) when all are taken. */
    public boolean tryEnter() {
        while (true) {
            int now = inFlight.get();
            if (now >= limit) {
                return false;
            }
            if (inFlight.compareAndSet(now, now + 1)) {
                return true;
            }
        }
    }

    /** Gives back a place taken by {@link #tryEnter()}; call exactly once per admitted request. */
    public void leave() {
        inFlight.decrementAndGet();
    }

    public int inFlight() {
        return inFlight.get();
    }

    public int limit() {
        return limit;
    }
}

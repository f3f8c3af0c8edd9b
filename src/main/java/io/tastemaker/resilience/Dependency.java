package io.tastemaker.resilience;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * A service Tastemaker calls (PostgreSQL, the vector store) behind its own {@link CircuitBreaker}:
 * while it keeps failing, calls are refused at once ({@link Down}) instead of each costing a
 * request its deadline; a trial call after {@code openFor} finds out whether it is back.
 */
public final class Dependency {

    /** Settings of a breaker: judged over the last {@code window} calls. */
    public record Settings(int window, int minimumCalls, double failureRatio, Duration openFor) {
    }

    /** A call refused or failed because the dependency is down or too slow. */
    public static final class Down extends RuntimeException {
        public Down(String message, Throwable cause) {
            super(message, cause, false, false);
        }
    }

    private final String name;
    private final CircuitBreaker breaker;
    private final Duration openFor;

    public Dependency(String name, Settings settings) {
        this.name = name;
        this.openFor = settings.openFor();
        this.breaker = new CircuitBreaker(settings.window(), settings.minimumCalls(), settings.failureRatio(),
                settings.openFor(), System::nanoTime);
    }

    /** Runs {@code call} unless the breaker is open; its failure (any exception) counts against the dependency. */
    public <T> T call(Supplier<T> call) {
        if (!breaker.tryAcquire()) {
            throw new Down(name + " is skipped: its circuit breaker is open", null);
        }
        try {
            T result = call.get();
            breaker.onSuccess();
            return result;
        } catch (RuntimeException e) {
            breaker.onFailure();
            throw e;
        }
    }

    public boolean tryAcquire() {
        return breaker.tryAcquire();
    }

    public void succeeded() {
        breaker.onSuccess();
    }

    /** Returns whether this failure opened the breaker. */
    public boolean failed() {
        return breaker.onFailure();
    }

    public String name() {
        return name;
    }

    /** How long an open breaker refuses calls: what a client may wait before asking again. */
    public Duration openFor() {
        return openFor;
    }

    public CircuitBreaker.State state() {
        return breaker.state();
    }

    /** 0 closed, 1 open, 0.5 half-open (one trial call allowed): the value of its gauge. */
    public double stateValue() {
        return breaker.state().gaugeValue();
    }
}

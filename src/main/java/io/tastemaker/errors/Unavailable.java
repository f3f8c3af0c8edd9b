package io.tastemaker.errors;

import java.time.Duration;
import java.util.Optional;

/** A service this one depends on (the broker, the database) cannot be reached now; asking again may work. */
public abstract class Unavailable extends RuntimeException {

    private final transient Duration retryAfter;

    protected Unavailable(String message) {
        this(message, null);
    }

    /** @param retryAfter when asking again may work (answered as {@code Retry-After}), null if unknown */
    protected Unavailable(String message, Duration retryAfter) {
        super(message);
        this.retryAfter = retryAfter;
    }

    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}

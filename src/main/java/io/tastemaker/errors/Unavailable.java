package io.tastemaker.errors;

import java.time.Duration;
import java.util.Map;

/**
 * A service this one depends on (the broker, the database) cannot be reached now; asking again may
 * work, after {@link #retryAfter()} (sent as {@code Retry-After}).
 */
public abstract class Unavailable extends RuntimeException {

    private static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(1);

    private final Duration retryAfter;
    private final Map<String, Object> extensions;

    protected Unavailable(String message) {
        this(message, DEFAULT_RETRY_AFTER, Map.of());
    }

    protected Unavailable(String message, Duration retryAfter) {
        this(message, retryAfter, Map.of());
    }

    protected Unavailable(String message, Duration retryAfter, Map<String, Object> extensions) {
        super(message);
        this.retryAfter = retryAfter;
        this.extensions = Map.copyOf(extensions);
    }

    /** When asking again is worth it; at least a second (Retry-After counts whole seconds). */
    public Duration retryAfter() {
        return retryAfter;
    }

    /** Members the answer carries beside the standard ones, e.g. how much of an import was acknowledged. */
    public Map<String, Object> extensions() {
        return extensions;
    }
}

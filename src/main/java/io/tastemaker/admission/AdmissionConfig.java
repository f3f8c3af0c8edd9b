package io.tastemaker.admission;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.OptionalInt;

/**
 * How much work of each class one instance takes on at once before it refuses more
 * (docs/operations.md#load-shedding).
 */
@ConfigMapping(prefix = "tastemaker.admission")
public interface AdmissionConfig {

    /** Off: every request is queued, however many wait (not for production). */
    @WithDefault("true")
    boolean enabled();

    /**
     * Storefront lists in flight at once (feed, similar, search, assistant, merchandising
     * preview). Default: 16 per core, at most half the worker pool ({@code
     * quarkus.thread-pool.max-threads}), so admitted lists keep their latency at peaks, a list
     * never waits in the pool's queue and the rest of the pool stays for imports, admin calls and jobs.
     */
    OptionalInt listsMaxInFlight();

    /** Writes that need PostgreSQL in flight at once: a little more than the connection pool. */
    @WithDefault("32")
    int writesMaxInFlight();

    /** What {@code Retry-After} tells a refused caller when the instance is full. */
    @WithDefault("1s")
    Duration retryAfter();
}

package io.tastemaker.attribution;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** How served lists are recorded and kept (docs/operations.md#attribution). */
@ConfigMapping(prefix = "tastemaker.attribution")
public interface AttributionConfig {

    /**
     * Whether list answers are recorded in {@code served_lists}. Off, answers still carry a
     * recommId, but events that send it back can no longer be credited to a placement, variant or rule.
     */
    @WithDefault("true")
    boolean recording();

    /**
     * Served lists waiting to be written. When PostgreSQL falls this far behind, new ones are
     * dropped (counted in {@code tastemaker_served_lists_dropped_total}) rather than held in memory.
     */
    @WithDefault("20000")
    int queueCapacity();

    /** Served lists written in one statement. */
    @WithDefault("500")
    int batchSize();

    /** How long served lists are kept: events that come back later are counted as unknown. */
    @WithDefault("30d")
    Duration retention();
}

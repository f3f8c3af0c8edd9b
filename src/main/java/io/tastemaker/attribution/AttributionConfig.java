package io.tastemaker.attribution;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** How served lists are recorded, credited with their outcomes and kept (docs/operations.md#attribution). */
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

    /** How long the writer gathers records after the first before writing them (fewer, larger transactions). */
    @WithDefault("250ms")
    Duration batchWait();


    /** Served lists (and the credits of their outcomes) older than this are deleted; later events count as unattributed. */
    @WithDefault("30d")
    Duration retention();

    /**
     * The reporting currency: revenue sums the values of purchases in this currency only. Without
     * exchange rates a sum over currencies would mean nothing, and an A/B comparison needs one
     * number per shopper; a shop selling in several currencies converts before it sends.
     */
    @WithDefault("USD")
    String currency();

    /** How long an outcome whose list is not recorded yet waits for it (lists are written asynchronously). */
    @WithDefault("2m")
    Duration pendingGrace();

    /** How often outcomes that arrived before their list are retried. */
    @WithDefault("1s")
    Duration settleEvery();

    /** Rows per statement when waiting outcomes are settled or served lists purged (short transactions, no long locks). */
    @WithDefault("5000")
    int batchRows();

    /** How often expired served lists are purged. */
    @WithDefault("1m")
    Duration purgeEvery();

    /** Distinct placements with their own metric series; the rest report as "other" (bounded cardinality). */
    @WithDefault("50")
    int maxPlacementSeries();

    Consumer consumer();

    interface Consumer {
        @WithDefault("2000")
        int maxBatch();

        @WithDefault("50ms")
        Duration maxWait();
    }
}

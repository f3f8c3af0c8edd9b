package io.tastemaker.streams;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** Topic names and layout, and the producer and consumer settings that matter for delivery. */
@ConfigMapping(prefix = "tastemaker.streams")
public interface StreamsConfig {

    @WithDefault("tastemaker.catalog.v1")
    String catalogTopic();

    @WithDefault("tastemaker.catalog.dlq.v1")
    String catalogDeadLetterTopic();

    /** Catalog consumers scale up to this many instances (records are keyed by product id). */
    @WithDefault("6")
    int catalogPartitions();

    @WithDefault("tastemaker.engagement.v1")
    String engagementTopic();

    @WithDefault("tastemaker.engagement.dlq.v1")
    String engagementDeadLetterTopic();

    /** Engagement consumers scale up to this many instances (records are keyed by user id). */
    @WithDefault("12")
    int engagementPartitions();

    /**
     * How long the engagement topic keeps events. The default keeps them for ever, because it is
     * the log every profile, co-engagement weight and trending count is rebuilt from.
     */
    @WithDefault("-1")
    long engagementRetentionMs();

    @WithDefault("1")
    short replicationFactor();

    /** Prefix of every consumer group, so several deployments can share one cluster. */
    @WithDefault("tastemaker")
    String groupPrefix();

    /** How long a send may wait for the broker before the REST call fails with 503. */
    @WithDefault("10s")
    Duration sendTimeout();

    @WithDefault("5ms")
    Duration producerLinger();
}

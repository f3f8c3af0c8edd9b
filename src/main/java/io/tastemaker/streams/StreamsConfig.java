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

    /**
     * How long the producer keeps trying to deliver a record ({@code delivery.timeout.ms}) and may
     * block waiting for metadata; consumers' dead letters wait this long too.
     */
    @WithDefault("10s")
    Duration sendTimeout();

    /**
     * How long a REST write (events, catalog) waits for the broker's acknowledgement before it
     * answers 503 "not confirmed, retry is safe". The producer may still deliver it afterwards.
     */
    @WithDefault("1s")
    Duration ackTimeout();

    /**
     * How long writes are refused at once (503 with this as Retry-After) after the broker failed
     * most of the last ones; then one trial write finds out whether it is back.
     */
    @WithDefault("2s")
    Duration brokerRetryAfter();

    /**
     * This process's name in its consumer groups (Kafka static membership, {@code group.instance.id}
     * = {@code <instance-id>.<group>.<member index>}): a process restarted under the same name takes
     * its partitions back at once instead of waiting for its dead members' sessions to expire. Must be
     * unique among the processes consuming at the same time, and stable across restarts of one (a pod
     * name, a host name). Empty: the host name ({@code HOSTNAME}, else the machine's name).
     */
    java.util.Optional<String> instanceId();

    @WithDefault("5ms")
    Duration producerLinger();
}

package io.tastemaker.attribution;

import io.micrometer.core.instrument.MeterRegistry;
import io.tastemaker.engagement.EventCodec;
import io.tastemaker.streams.ConsumerLoop;
import io.tastemaker.streams.KafkaClients;
import io.tastemaker.streams.Topics;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The outcome consumer group's member in this instance (group {@code <prefix>.outcomes} on the
 * engagement topic, apart from the engagement consumer so that either can lag or be rebuilt
 * without the other), and the background jobs beside it.
 */
@ApplicationScoped
public class OutcomeConsumer {

    private final KafkaClients kafka;
    private final Topics topics;
    private final EventCodec codec;
    private final OutcomeStore store;
    private final OutcomeMetrics metrics;
    private final AttributionConfig config;
    private final OutcomeJobs jobs;
    private final MeterRegistry registry;
    private ConsumerLoop loop;
    private OutcomeProcessor processor;

    OutcomeConsumer(KafkaClients kafka, Topics topics, EventCodec codec, OutcomeStore store, OutcomeMetrics metrics,
                    AttributionConfig config, OutcomeJobs jobs, MeterRegistry registry) {
        this.kafka = kafka;
        this.topics = topics;
        this.codec = codec;
        this.store = store;
        this.metrics = metrics;
        this.config = config;
        this.jobs = jobs;
        this.registry = registry;
    }

    public synchronized void start() {
        if (loop != null) {
            return;
        }
        processor = new OutcomeProcessor(topics.engagement(), codec, store, metrics, config, Instant::now);
        int maxBatch = config.consumer().maxBatch();
        loop = new ConsumerLoop(topics.outcomesGroup(), topics.engagement(),
                kafka.groupMember(topics.outcomesGroup(), 0, maxBatch), processor, maxBatch, config.consumer().maxWait(),
                Optional.empty(), registry).start();
        jobs.start();
    }

    public synchronized void stop() {
        jobs.stop();
        if (loop != null) {
            loop.close();
            loop = null;
        }
    }

    public synchronized List<ConsumerLoop> loops() {
        return loop == null ? List.of() : List.of(loop);
    }

    /** Test hook: runs inside the processor's transaction just before it commits. */
    synchronized void beforeCommit(Runnable hook) {
        processor.beforeCommit(hook);
    }
}

package io.tastemaker.engagement;

import io.tastemaker.models.experiments.Assignments;
import io.micrometer.core.instrument.MeterRegistry;
import io.tastemaker.embedding.ActiveModel;
import io.tastemaker.profiles.ProfileService;
import io.tastemaker.streams.ConsumerLoop;
import io.tastemaker.streams.KafkaClients;
import io.tastemaker.streams.Topics;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The engagement consumer group's members in this instance: {@code threads} consumers, each with
 * its own processor. More instances (or threads) share the partitions, up to one per partition.
 */
@ApplicationScoped
public class EngagementConsumer {

    private final KafkaClients kafka;
    private final Topics topics;
    private final EventCodec codec;
    private final EngagementStore store;
    private final ActiveModel model;
    private final Assignments assignments;
    private final ProfileService profiles;
    private final EngagementConfig config;
    private final MeterRegistry registry;
    private final List<ConsumerLoop> loops = new ArrayList<>();
    private final List<EngagementProcessor> processors = new ArrayList<>();

    EngagementConsumer(KafkaClients kafka, Topics topics, EventCodec codec, EngagementStore store,
                       ActiveModel model, Assignments assignments, ProfileService profiles,
                       EngagementConfig config, MeterRegistry registry) {
        this.kafka = kafka;
        this.topics = topics;
        this.codec = codec;
        this.store = store;
        this.model = model;
        this.assignments = assignments;
        this.profiles = profiles;
        this.config = config;
        this.registry = registry;
    }

    public synchronized void start() {
        var consumer = config.consumer();
        for (int i = 0; i < consumer.threads(); i++) {
            EngagementProcessor processor = newProcessor();
            processors.add(processor);
            loops.add(new ConsumerLoop(topics.engagementGroup(), topics.engagement(),
                    kafka.groupMember(topics.engagementGroup(), i, consumer.maxBatch()), processor, consumer.maxBatch(),
                    consumer.maxWait(), Optional.of(new ConsumerLoop.DeadLetters(topics.engagementDeadLetters(),
                    kafka.producer())), registry).start());
        }
    }

    EngagementProcessor newProcessor() {
        return new EngagementProcessor(topics.engagement(), codec, store, model::serving, assignments::split, profiles, config,
                registry);
    }

    public synchronized void stop() {
        loops.forEach(ConsumerLoop::close);
        loops.clear();
        processors.clear();
    }

    public synchronized List<ConsumerLoop> loops() {
        return List.copyOf(loops);
    }

    /** Test hook: runs inside every processor's transaction just before it commits. */
    synchronized void beforeCommit(Runnable hook) {
        processors.forEach(p -> p.beforeCommit(hook));
    }
}

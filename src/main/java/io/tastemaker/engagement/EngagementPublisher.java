package io.tastemaker.engagement;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.tastemaker.streams.KafkaClients;
import io.tastemaker.streams.Topics;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Writes engagement events to the engagement topic, keyed by user id so that one shopper's
 * events are processed in order by one consumer. The future completes when the broker has
 * acknowledged every event (idempotent producer, acks=all); sending events again after a
 * failure is safe, as an eventId counts once.
 */
@ApplicationScoped
public class EngagementPublisher {

    private final KafkaClients kafka;
    private final Topics topics;
    private final EventCodec codec;

    private final Counter accepted;

    EngagementPublisher(KafkaClients kafka, Topics topics, EventCodec codec, MeterRegistry registry) {
        this.kafka = kafka;
        this.topics = topics;
        this.codec = codec;
        this.accepted = Counter.builder("tastemaker.events.accepted")
                .description("Events the engagement topic acknowledged through POST /v1/events").register(registry);
    }

    /** Fails with a 503-mapped {@code TopicUnavailable} within the acknowledgement timeout when the broker does not take them. */
    public CompletableFuture<Void> publish(List<EngagementEvent> events) {
        return kafka.sendAll(topics.engagement(), events.stream()
                .map(e -> new ProducerRecord<>(topics.engagement(), e.userId(), codec.encode(e)))
                .toList()).thenRun(() -> accepted.increment(events.size()));
    }
}

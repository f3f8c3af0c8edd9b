package io.tastemaker.engagement;

import io.tastemaker.api.ApiException;
import io.tastemaker.streams.KafkaClients;
import io.tastemaker.streams.Topics;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Writes engagement events to the engagement topic, keyed by user id so that one shopper's
 * events are processed in order by one consumer. The future completes when the broker has
 * acknowledged every event (idempotent producer, acks=all).
 */
@ApplicationScoped
public class EngagementPublisher {

    private final KafkaClients kafka;
    private final Topics topics;
    private final EventCodec codec;

    EngagementPublisher(KafkaClients kafka, Topics topics, EventCodec codec) {
        this.kafka = kafka;
        this.topics = topics;
        this.codec = codec;
    }

    public CompletableFuture<Void> publish(List<EngagementEvent> events) {
        CompletableFuture<?>[] acks = new CompletableFuture<?>[events.size()];
        for (int i = 0; i < events.size(); i++) {
            EngagementEvent event = events.get(i);
            CompletableFuture<Void> acked = new CompletableFuture<>();
            acks[i] = acked;
            try {
                kafka.producer().send(new ProducerRecord<>(topics.engagement(), event.userId(), codec.encode(event)),
                        (metadata, error) -> {
                            if (error != null) {
                                acked.completeExceptionally(ApiException.unavailable(
                                        "The engagement topic did not acknowledge the events: " + error.getMessage()
                                                + ". Sending them again is safe: events count once per eventId."));
                            } else {
                                acked.complete(null);
                            }
                        });
            } catch (RuntimeException e) {
                acked.completeExceptionally(ApiException.unavailable("The engagement topic is unavailable: " + e.getMessage()));
            }
        }
        return CompletableFuture.allOf(acks);
    }
}

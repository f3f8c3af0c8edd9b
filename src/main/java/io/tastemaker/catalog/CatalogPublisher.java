package io.tastemaker.catalog;

import io.tastemaker.streams.KafkaClients;
import io.tastemaker.streams.Topics;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Writes catalog changes to the catalog topic, keyed by product id so that changes to one
 * product are applied in order. A completed future means the broker has the record (acks=all).
 */
@ApplicationScoped
public class CatalogPublisher {

    private final KafkaClients kafka;
    private final Topics topics;
    private final CatalogCodec codec;

    CatalogPublisher(KafkaClients kafka, Topics topics, CatalogCodec codec) {
        this.kafka = kafka;
        this.topics = topics;
        this.codec = codec;
    }

    /** Stamps {@code updatedAt} when the merchant did not. */
    public CompletableFuture<RecordMetadata> upsert(Product product) {
        return publish(new CatalogChange.Upsert(stamped(product)));
    }

    /** Many products in one write: acknowledged together, or refused together (503) within the acknowledgement timeout. */
    public CompletableFuture<Void> upsertAll(List<Product> products) {
        return kafka.sendAll(topics.catalog(), products.stream()
                .map(product -> record(new CatalogChange.Upsert(stamped(product))))
                .toList());
    }

    public CompletableFuture<RecordMetadata> delete(String productId) {
        return publish(new CatalogChange.Delete(productId));
    }

    private CompletableFuture<RecordMetadata> publish(CatalogChange change) {
        return kafka.send(record(change));
    }

    private ProducerRecord<String, String> record(CatalogChange change) {
        return new ProducerRecord<>(topics.catalog(), change.productId(), codec.encode(change));
    }

    private static Product stamped(Product product) {
        return product.updatedAt() != null ? product : product.withUpdatedAt(Instant.now().truncatedTo(ChronoUnit.MICROS));
    }
}

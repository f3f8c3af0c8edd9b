package io.tastemaker.streams;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.util.List;

/**
 * Processes one batch of records durably. Returning means every record is either applied or
 * listed as rejected; throwing means nothing may be assumed and the batch is delivered again,
 * so handlers must be idempotent.
 */
@FunctionalInterface
public interface BatchHandler {

    List<Rejected> handle(List<ConsumerRecord<String, String>> batch) throws Exception;

    /** A record that can never be applied, with the reason a person can act on. */
    record Rejected(ConsumerRecord<String, String> record, String reason) {
    }
}

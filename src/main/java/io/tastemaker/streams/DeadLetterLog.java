package io.tastemaker.streams;

import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Reads the dead-letter topics (what {@link ConsumerLoop.DeadLetters} wrote, with its reason and
 * origin headers) and sends a dead letter back to the topic it came from. Reads use a consumer
 * outside any group ({@link KafkaClients#reader}): they move no group's position. Blocking: call
 * from worker threads.
 */
@ApplicationScoped
public class DeadLetterLog {

    /** Where a re-published record came from: {@code <dead-letter topic>/<partition>@<offset>}. */
    public static final String REPUBLISHED_FROM_HEADER = "tastemaker.republished.from";
    public static final String REPUBLISHED_BY_HEADER = "tastemaker.republished.by";
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(10);

    private final KafkaClients kafka;
    private final Topics topics;

    DeadLetterLog(KafkaClients kafka, Topics topics) {
        this.kafka = kafka;
        this.topics = topics;
    }

    /** One dead letter as stored: where it is, why it is there, where it came from, and the record. */
    public record DeadLetter(String topic, int partition, long offset, Instant deadLetteredAt, String reason,
                             String sourceTopic, Integer sourcePartition, Long sourceOffset, String group,
                             String key, String payload) {

        /** {@code topic/partition@offset}, the form the headers use. */
        public String address() {
            return topic + "/" + partition + "@" + offset;
        }
    }

    /** The dead-letter topics, catalog first. */
    public List<String> topics() {
        return List.of(topics.catalogDeadLetters(), topics.engagementDeadLetters());
    }

    /**
     * The latest {@code limit} dead letters of each partition of these topics, newest first: one
     * consumer reads them all (a consumer's first fetch costs most of the time).
     */
    public List<DeadLetter> latest(List<String> topics, int limit) {
        try (KafkaConsumer<String, String> reader = kafka.reader(Math.max(limit, 1) * 2)) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : topics) {
                reader.partitionsFor(topic, READ_TIMEOUT).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            }
            if (partitions.isEmpty()) {
                return List.of();
            }
            reader.assign(partitions);
            Map<TopicPartition, Long> starts = reader.beginningOffsets(partitions, READ_TIMEOUT);
            Map<TopicPartition, Long> ends = reader.endOffsets(partitions, READ_TIMEOUT);
            List<TopicPartition> toRead = new ArrayList<>();
            for (TopicPartition partition : partitions) {
                long from = Math.max(starts.get(partition), ends.get(partition) - limit);
                if (from < ends.get(partition)) {
                    reader.seek(partition, from);
                    toRead.add(partition);
                }
            }
            reader.pause(partitions.stream().filter(p -> !toRead.contains(p)).toList());
            List<DeadLetter> found = new ArrayList<>();
            long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
            // read_committed may stop short of the end offset (a transaction marker): stop when a poll brings nothing
            while (toRead.stream().anyMatch(p -> reader.position(p) < ends.get(p)) && System.nanoTime() < deadline) {
                ConsumerRecords<String, String> records = reader.poll(Duration.ofMillis(200));
                if (records.isEmpty() && toRead.stream().allMatch(p -> reader.position(p) >= ends.get(p))) {
                    break;
                }
                for (ConsumerRecord<String, String> record : records) {
                    if (record.offset() < ends.get(new TopicPartition(record.topic(), record.partition()))) {
                        found.add(deadLetter(record));
                    }
                }
            }
            found.sort(Comparator.comparing(DeadLetter::deadLetteredAt, Comparator.nullsLast(Comparator.reverseOrder()))
                    .thenComparing(DeadLetter::offset, Comparator.reverseOrder()));
            return found;
        }
    }

    /** The dead letter at that place, if the topic still holds it. */
    public Optional<DeadLetter> at(String topic, int partition, long offset) {
        try (KafkaConsumer<String, String> reader = kafka.reader(1)) {
            TopicPartition tp = new TopicPartition(topic, partition);
            if (reader.partitionsFor(topic, READ_TIMEOUT).stream().noneMatch(p -> p.partition() == partition)) {
                return Optional.empty();
            }
            reader.assign(List.of(tp));
            long start = reader.beginningOffsets(List.of(tp), READ_TIMEOUT).get(tp);
            long end = reader.endOffsets(List.of(tp), READ_TIMEOUT).get(tp);
            if (offset < start || offset >= end) {
                return Optional.empty();
            }
            reader.seek(tp, offset);
            long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
            while (System.nanoTime() < deadline && reader.position(tp) <= offset) {
                for (ConsumerRecord<String, String> record : reader.poll(Duration.ofMillis(500))) {
                    if (record.offset() == offset) {
                        return Optional.of(deadLetter(record));
                    }
                    if (record.offset() > offset) {
                        return Optional.empty(); // compacted away or a transaction marker
                    }
                }
            }
            return Optional.empty();
        }
    }

    /**
     * Sends the dead letter's record, as it was (same key, so the same partition; same value, so
     * the same event id), to the topic it came from, with headers naming the dead letter and who
     * sent it back. Completes once the broker acknowledged it, or fails with {@link TopicUnavailable}.
     */
    public CompletableFuture<RecordMetadata> republish(DeadLetter deadLetter, String actor) {
        if (deadLetter.sourceTopic() == null) {
            throw new IllegalArgumentException("dead letter " + deadLetter.address() + " names no source topic");
        }
        ProducerRecord<String, String> record = new ProducerRecord<>(deadLetter.sourceTopic(), null, deadLetter.key(),
                deadLetter.payload());
        record.headers()
                .add(REPUBLISHED_FROM_HEADER, utf8(deadLetter.address()))
                .add(REPUBLISHED_BY_HEADER, utf8(actor));
        return kafka.send(record);
    }

    static DeadLetter deadLetter(ConsumerRecord<String, String> record) {
        String source = header(record, "tastemaker.dlq.source");
        String sourceTopic = null;
        Integer sourcePartition = null;
        Long sourceOffset = null;
        if (source != null) {
            int at = source.lastIndexOf('@');
            int slash = at < 0 ? -1 : source.lastIndexOf('/', at);
            if (slash > 0) {
                sourceTopic = source.substring(0, slash);
                try {
                    sourcePartition = Integer.valueOf(source.substring(slash + 1, at));
                    sourceOffset = Long.valueOf(source.substring(at + 1));
                } catch (NumberFormatException e) {
                    sourcePartition = null;
                    sourceOffset = null;
                }
            }
        }
        String at = header(record, "tastemaker.dlq.at");
        Instant when;
        try {
            when = at == null ? Instant.ofEpochMilli(record.timestamp()) : Instant.parse(at);
        } catch (java.time.format.DateTimeParseException e) {
            when = Instant.ofEpochMilli(record.timestamp());
        }
        return new DeadLetter(record.topic(), record.partition(), record.offset(), when,
                header(record, ConsumerLoop.REASON_HEADER), sourceTopic, sourcePartition, sourceOffset,
                header(record, "tastemaker.dlq.group"), record.key(), record.value());
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}

package io.tastemaker.shoppers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tastemaker.streams.KafkaClients;
import io.tastemaker.streams.Topics;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Utils;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * Reads one shopper's events back from the engagement topic for an access request. The topic is
 * keyed by user id, so all of a shopper's events sit in one partition: the scan reads the newest
 * {@code logScanRecords} records of that partition (a bounded cost for a rare operator request)
 * and says whether it saw the whole partition. If the topic's partition count was ever raised,
 * events from before that sit in another partition and are not found.
 */
@ApplicationScoped
public class EngagementLogScan {

    private final KafkaClients kafka;
    private final Topics topics;
    private final ShoppersConfig config;
    private final ObjectMapper json;

    EngagementLogScan(KafkaClients kafka, Topics topics, ShoppersConfig config, ObjectMapper json) {
        this.kafka = kafka;
        this.topics = topics;
        this.config = config;
        this.json = json;
    }

    /** One of the shopper's records, as the topic holds it. */
    public record LoggedEvent(long offset, Instant loggedAt, JsonNode event) {
    }

    /**
     * What the scan read ({@code fromOffset} up to {@code toOffset}, exclusive) of a partition that
     * starts at {@code startOffset}; {@code complete} when it read all of it. {@code events} is
     * empty when they were withheld (an erased shopper), and keeps the newest when there were more
     * than the listing allows; {@code eventsFound} counts them all.
     */
    public record Scan(String topic, int partition, long startOffset, long fromOffset, long toOffset, long scannedRecords,
                       boolean complete, String incompleteBecause, long eventsFound, boolean eventsWithheld,
                       List<LoggedEvent> events) {
    }

    /** Scans the shopper's partition; with {@code withEvents} false only counts their events. */
    public Scan scan(String userId, boolean withEvents) {
        String topic = topics.engagement();
        int partitions = kafka.producer().partitionsFor(topic).size();
        // the producer's own choice for a keyed record
        int partition = Utils.toPositive(Utils.murmur2(userId.getBytes(StandardCharsets.UTF_8))) % partitions;
        TopicPartition tp = new TopicPartition(topic, partition);
        try (KafkaConsumer<String, String> reader = kafka.reader(2000)) {
            reader.assign(List.of(tp));
            long start = reader.beginningOffsets(List.of(tp)).get(tp);
            long end = reader.endOffsets(List.of(tp)).get(tp);
            long from = Math.max(start, end - config.logScanRecords());
            reader.seek(tp, from);
            Deque<LoggedEvent> events = new ArrayDeque<>();
            long found = 0;
            long scanned = 0;
            long deadline = System.nanoTime() + config.logScanTimeout().toNanos();
            boolean timedOut = false;
            while (reader.position(tp) < end) {
                if (System.nanoTime() > deadline) {
                    timedOut = true;
                    break;
                }
                for (ConsumerRecord<String, String> r : reader.poll(Duration.ofMillis(500))) {
                    if (r.offset() >= end) {
                        break;
                    }
                    scanned++;
                    if (!userId.equals(r.key())) {
                        continue;
                    }
                    found++;
                    if (withEvents) {
                        events.addLast(new LoggedEvent(r.offset(), Instant.ofEpochMilli(r.timestamp()), read(r.value())));
                        if (events.size() > config.maxListed()) {
                            events.removeFirst();
                        }
                    }
                }
            }
            long to = timedOut ? Math.min(end, reader.position(tp)) : end;
            String because = timedOut ? "the scan stopped after " + config.logScanTimeout().toSeconds() + " s"
                    : from > start ? "only the newest " + config.logScanRecords() + " records of the partition were read"
                    : null;
            return new Scan(topic, partition, start, from, to, scanned, because == null, because, found, !withEvents,
                    List.copyOf(events));
        }
    }

    private JsonNode read(String value) {
        try {
            return value == null ? json.nullNode() : json.readTree(value);
        } catch (Exception e) {
            return json.getNodeFactory().textNode(value); // a malformed record, shown as it is
        }
    }
}

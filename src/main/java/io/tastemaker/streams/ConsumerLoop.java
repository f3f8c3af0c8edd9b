package io.tastemaker.streams;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs one consumer on its own thread: gathers records into a batch (until {@code maxBatch}
 * records or {@code maxWait} after the first one), hands the batch to the handler, sends its
 * rejects to the dead-letter topic, and only then commits the offsets. A failing batch is
 * delivered again after a back-off, so nothing is lost; handlers are idempotent, so nothing is
 * counted twice. The loop polls only when it has finished the previous batch: a slow handler
 * slows consumption instead of piling records up in memory (backpressure).
 * <p>This is the one dead-letter path. An {@link OffsetKeepingHandler} has stored its offsets
 * before its rejects are sent: when sending fails, the loop hands it the same batch again, so it
 * must answer the same rejects for records its stored offsets already passed.
 */
public final class ConsumerLoop implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ConsumerLoop.class);
    public static final String REASON_HEADER = "tastemaker.dlq.reason";

    private final String group;
    private final String topic;
    private final KafkaConsumer<String, String> consumer;
    private final BatchHandler handler;
    private final int maxBatch;
    private final Duration maxWait;
    private final Optional<DeadLetters> deadLetters;
    private final List<ConsumerRecord<String, String>> pending = new ArrayList<>();
    private final AtomicLong lag = new AtomicLong();
    private final DistributionSummary batchSizes;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean healthy = true;
    private long lastPositionCheck;

    public ConsumerLoop(String group, String topic, KafkaConsumer<String, String> consumer, BatchHandler handler,
                        int maxBatch, Duration maxWait, Optional<DeadLetters> deadLetters, MeterRegistry registry) {
        this.group = group;
        this.topic = topic;
        this.consumer = consumer;
        this.handler = handler;
        this.maxBatch = maxBatch;
        this.maxWait = maxWait;
        this.deadLetters = deadLetters;
        this.batchSizes = DistributionSummary.builder("tastemaker.consumer.batch.size")
                .description("Records per processed batch").tag("group", group).register(registry);
        Gauge.builder("tastemaker.consumer.lag", lag, AtomicLong::get)
                .description("Records on the broker not yet processed by this consumer")
                .tag("group", group).register(registry);
        this.thread = new Thread(this::run, "consumer-" + group);
        this.thread.setDaemon(true);
    }

    public ConsumerLoop start() {
        thread.start();
        return this;
    }

    /** Records waiting on the broker for this consumer, as of its last poll. */
    public long lag() {
        return lag.get();
    }

    public boolean healthy() {
        return healthy && thread.isAlive();
    }

    private void run() {
        consumer.subscribe(List.of(topic), new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                // finish what we hold before another instance takes these partitions over
                if (!pending.isEmpty()) {
                    processPending();
                }
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                resumeFromHandler(partitions);
            }
        });
        try {
            while (running) {
                gather();
                if (!pending.isEmpty()) {
                    processPending();
                }
            }
        } catch (WakeupException e) {
            if (running) {
                throw e;
            }
        } catch (RuntimeException | Error e) {
            // a bug or the JVM in trouble: stop (readiness reports it) rather than skip records
            healthy = false;
            LOG.errorf(e, "consumer %s stopped", group);
        } finally {
            // a static member stays in its group after close unless told to leave: leave, so a clean
            // stop hands the partitions over at once (a crash is what static membership is for)
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(5))
                    .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
        }
    }

    private void gather() {
        long deadline = 0;
        while (running && pending.size() < maxBatch) {
            long waitMs = pending.isEmpty() ? 500 : deadline - System.currentTimeMillis();
            if (waitMs <= 0) {
                return;
            }
            ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(waitMs));
            updateLag();
            if (records.isEmpty()) {
                if (pending.isEmpty()) {
                    checkPositionWhileIdle();
                    return;
                }
                continue;
            }
            if (pending.isEmpty()) {
                deadline = System.currentTimeMillis() + maxWait.toMillis();
            }
            records.forEach(pending::add);
        }
    }

    private void processPending() {
        List<ConsumerRecord<String, String>> batch = List.copyOf(pending);
        pending.clear();
        long backoffMs = 200;
        while (running) {
            try {
                List<BatchHandler.Rejected> rejected = handler.handle(batch);
                sendToDeadLetters(rejected);
                consumer.commitSync(nextOffsets(batch));
                batchSizes.record(batch.size());
                healthy = true;
                return;
            } catch (WakeupException e) {
                throw e;
            } catch (OffsetKeepingHandler.Rewind e) {
                rewind(e);
                return;
            } catch (org.apache.kafka.clients.consumer.CommitFailedException e) {
                // the group moved our partitions elsewhere: their new owner replays from the last commit
                LOG.infof("consumer %s lost its partitions before committing; the batch will be replayed", group);
                return;
            } catch (Exception e) {
                healthy = false;
                LOG.warnf(e, "consumer %s could not process a batch of %d records; retrying in %d ms",
                        group, batch.size(), backoffMs);
                sleep(backoffMs);
                backoffMs = Math.min(backoffMs * 2, 10_000);
            }
        }
        // stopping with an unprocessed batch: nothing was committed, the next start replays it
    }

    private void checkPositionWhileIdle() {
        if (!(handler instanceof OffsetKeepingHandler keeper) || consumer.assignment().isEmpty()
                || System.currentTimeMillis() - lastPositionCheck < 1000) {
            return;
        }
        lastPositionCheck = System.currentTimeMillis();
        try {
            keeper.checkPosition();
        } catch (OffsetKeepingHandler.Rewind e) {
            rewind(e);
        } catch (RuntimeException e) {
            LOG.debugf(e, "consumer %s could not check its stored position", group);
        }
    }

    /** Drops what was fetched and resumes every assigned partition where the handler's state ends. */
    private void rewind(OffsetKeepingHandler.Rewind reason) {
        LOG.infof("consumer %s rewinds: %s", group, reason.getMessage());
        resumeFromHandler(consumer.assignment());
    }

    /** Seeks to the offsets an {@link OffsetKeepingHandler} stored with its state. */
    private void resumeFromHandler(Collection<TopicPartition> partitions) {
        if (!(handler instanceof OffsetKeepingHandler keeper) || partitions.isEmpty()) {
            return;
        }
        Map<TopicPartition, Long> stored = null;
        long backoffMs = 200;
        while (stored == null) {
            try {
                stored = keeper.resumeOffsets(partitions);
            } catch (RuntimeException e) {
                if (!running) {
                    throw e;
                }
                healthy = false;
                LOG.warnf(e, "consumer %s cannot read its stored offsets; retrying in %d ms", group, backoffMs);
                sleep(backoffMs);
                backoffMs = Math.min(backoffMs * 2, 10_000);
            }
        }
        List<TopicPartition> fromStart = new ArrayList<>();
        for (TopicPartition partition : partitions) {
            Long next = stored.get(partition);
            if (next == null) {
                fromStart.add(partition);
            } else {
                consumer.seek(partition, next);
            }
        }
        if (!fromStart.isEmpty()) {
            consumer.seekToBeginning(fromStart);
        }
    }

    private void sendToDeadLetters(List<BatchHandler.Rejected> rejected) throws Exception {
        if (rejected.isEmpty()) {
            return;
        }
        if (deadLetters.isEmpty()) {
            LOG.debugf("consumer %s skipped %d records another consumer dead-letters", group, rejected.size());
            return;
        }
        deadLetters.get().sendAll(rejected, group);
    }

    private static Map<TopicPartition, OffsetAndMetadata> nextOffsets(List<ConsumerRecord<String, String>> batch) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (ConsumerRecord<String, String> r : batch) {
            offsets.merge(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1),
                    (a, b) -> a.offset() >= b.offset() ? a : b);
        }
        return offsets;
    }

    private void updateLag() {
        long total = 0;
        for (TopicPartition tp : consumer.assignment()) {
            total += consumer.currentLag(tp).orElse(0);
        }
        lag.set(total);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(15_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Where rejected records go, with the reason and their origin in headers. */
    public record DeadLetters(String topic, org.apache.kafka.clients.producer.Producer<String, String> producer) {

        /** Sends every rejected record and waits until the broker has them all. */
        public void sendAll(List<BatchHandler.Rejected> rejected, String group) throws Exception {
            List<Future<?>> sends = new ArrayList<>();
            for (BatchHandler.Rejected r : rejected) {
                sends.add(send(r, group));
            }
            for (Future<?> send : sends) {
                send.get(30, TimeUnit.SECONDS);
            }
        }

        private Future<?> send(BatchHandler.Rejected rejected, String group) {
            ConsumerRecord<String, String> source = rejected.record();
            ProducerRecord<String, String> record = new ProducerRecord<>(topic, null, source.key(), source.value());
            record.headers()
                    .add(REASON_HEADER, utf8(rejected.reason()))
                    .add("tastemaker.dlq.source", utf8(source.topic() + "/" + source.partition() + "@" + source.offset()))
                    .add("tastemaker.dlq.group", utf8(group))
                    .add("tastemaker.dlq.at", utf8(Instant.now().toString()));
            return producer.send(record);
        }

        private static byte[] utf8(String s) {
            return s.getBytes(StandardCharsets.UTF_8);
        }
    }
}

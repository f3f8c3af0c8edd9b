package io.tastemaker.streams;

import io.tastemaker.resilience.CircuitBreaker;
import io.tastemaker.resilience.Deadline;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Writes for callers who are waiting (REST requests): answered within the acknowledgement timeout,
 * either "the broker has every record" or {@link TopicUnavailable}, never a hang.
 * <ul>
 * <li>The producer is called on one dispatcher thread, never on the caller's: {@code send} blocks
 *     while it has no metadata or its buffer is full (up to {@code max.block.ms}), which must not
 *     stall an event loop. One thread keeps the records of one caller in the order given.</li>
 * <li>A write not acknowledged within {@code ackTimeout} fails as not confirmed. The producer may
 *     still deliver it later; that is why a retry must be safe (an event id counts once, a catalog
 *     change carries a product's whole state).</li>
 * <li>A circuit breaker fed by these outcomes refuses writes at once while the broker fails, so an
 *     outage costs callers no wait and fills no producer buffer; one trial write per open period
 *     finds out when it is back.</li>
 * </ul>
 */
final class BrokerWrites {

    /** Judge the last 20 writes; three failures of the first few are already an outage. */
    private static final int WINDOW = 20;
    private static final int MINIMUM_CALLS = 3;
    private static final double FAILURE_RATIO = 0.5;
    /** Writes waiting for the dispatcher; beyond this the broker is not keeping up, and callers hear so. */
    private static final int QUEUE = 1024;

    private final Supplier<Producer<String, String>> producer;
    private final Duration ackTimeout;
    private final CircuitBreaker breaker;
    private final ThreadPoolExecutor dispatcher;

    BrokerWrites(Supplier<Producer<String, String>> producer, Duration ackTimeout, Duration openFor) {
        this.producer = producer;
        this.ackTimeout = ackTimeout;
        this.breaker = new CircuitBreaker(WINDOW, MINIMUM_CALLS, FAILURE_RATIO, openFor, System::nanoTime);
        this.dispatcher = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(QUEUE), task -> {
            Thread thread = new Thread(task, "kafka-send");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Sends the records (all to {@code topic}); the future completes when the broker has every one
     * of them, or fails with {@link TopicUnavailable} within the acknowledgement timeout.
     */
    CompletableFuture<List<RecordMetadata>> sendAll(String topic, List<ProducerRecord<String, String>> records) {
        if (!breaker.tryAcquire()) {
            Duration wait = breaker.openFor();
            return CompletableFuture.failedFuture(TopicUnavailable.refused(topic, wait.isZero() ? ackTimeout : wait));
        }
        Deadline deadline = Deadline.in(ackTimeout);
        CompletableFuture<List<RecordMetadata>> acked = new CompletableFuture<>();
        try {
            dispatcher.execute(() -> hand(records, deadline, acked));
        } catch (RejectedExecutionException e) {
            acked.completeExceptionally(TopicUnavailable.busy(topic, ackTimeout));
        }
        CompletableFuture<List<RecordMetadata>> answer = new CompletableFuture<>();
        acked.orTimeout(ackTimeout.toNanos(), TimeUnit.NANOSECONDS).whenComplete((metadata, error) -> {
            if (error == null) {
                breaker.onSuccess();
                answer.complete(metadata);
                return;
            }
            // every outcome is reported, or a half-open breaker would wait for its trial for ever
            breaker.onFailure();
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            answer.completeExceptionally(cause instanceof TopicUnavailable unavailable ? unavailable
                    : cause instanceof TimeoutException ? TopicUnavailable.notConfirmed(topic, ackTimeout)
                    : TopicUnavailable.notAcknowledged(topic, cause));
        });
        return answer;
    }

    /** Whether writes are refused now (the broker failed the last ones), and for how much longer. */
    Duration refusingFor() {
        return breaker.openFor();
    }

    CircuitBreaker.State state() {
        return breaker.state();
    }

    /** On the dispatcher thread: hands every record to the producer, unless the caller has been answered already. */
    private void hand(List<ProducerRecord<String, String>> records, Deadline deadline, CompletableFuture<List<RecordMetadata>> acked) {
        if (deadline.expired()) {
            return; // answered "not confirmed" already: sending now would only surprise the caller
        }
        List<CompletableFuture<RecordMetadata>> each = new ArrayList<>(records.size());
        try {
            Producer<String, String> kafka = producer.get();
            for (ProducerRecord<String, String> record : records) {
                CompletableFuture<RecordMetadata> one = new CompletableFuture<>();
                kafka.send(record, (metadata, error) -> {
                    if (error != null) {
                        one.completeExceptionally(error);
                    } else {
                        one.complete(metadata);
                    }
                });
                each.add(one);
            }
        } catch (RuntimeException e) {
            acked.completeExceptionally(TopicUnavailable.unreachable(records.get(0).topic(), e));
            return;
        }
        CompletableFuture.allOf(each.toArray(CompletableFuture[]::new)).whenComplete((ignored, error) -> {
            if (error != null) {
                acked.completeExceptionally(error instanceof CompletionException && error.getCause() != null
                        ? error.getCause() : error);
            } else {
                acked.complete(each.stream().map(CompletableFuture::join).toList());
            }
        });
    }
}

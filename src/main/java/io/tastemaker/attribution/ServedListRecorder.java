package io.tastemaker.attribution;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.tastemaker.recommend.ServedLists;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Records list answers in {@code served_lists} off the request path: an answer only offers its
 * record to a bounded queue (no I/O, no lock held across I/O), and one writer thread inserts what
 * has gathered in multi-row batches, counting them into the placement aggregates in the same
 * transaction. When PostgreSQL is slow or down the queue fills and further
 * records are dropped and counted: attribution loses those lists (their events count as unknown
 * recommIds), the storefront never waits.
 */
@ApplicationScoped
public class ServedListRecorder implements ServedLists {

    private static final Logger LOG = Logger.getLogger(ServedListRecorder.class);
    private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration RETRY_PAUSE = Duration.ofSeconds(1);
    private static final int ATTEMPTS = 3;

    private final OutcomeStore store;
    private final OutcomeMetrics metrics;
    private final AttributionConfig config;
    private final BlockingQueue<ServedList> queue;
    private final Counter recorded;
    private final Counter droppedFull;
    private final Counter droppedFailing;
    private volatile Thread writer;

    ServedListRecorder(OutcomeStore store, OutcomeMetrics metrics, AttributionConfig config, MeterRegistry registry) {
        this.store = store;
        this.metrics = metrics;
        this.config = config;
        this.queue = new ArrayBlockingQueue<>(config.queueCapacity());
        this.recorded = Counter.builder("tastemaker.served.lists.recorded").register(registry);
        this.droppedFull = Counter.builder("tastemaker.served.lists.dropped").tag("reason", "queue_full").register(registry);
        this.droppedFailing = Counter.builder("tastemaker.served.lists.dropped").tag("reason", "database")
                .register(registry);
        Gauge.builder("tastemaker.served.lists.queued", queue, BlockingQueue::size).register(registry);
    }

    void onStart(@Observes StartupEvent event) {
        if (config.recording()) {
            Thread thread = new Thread(this::writeUntilStopped, "served-lists-writer");
            thread.setDaemon(true);
            writer = thread;
            thread.start();
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        Thread thread = writer;
        writer = null;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(WRITE_TIMEOUT.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void record(ServedList list) {
        if (config.recording() && !queue.offer(list)) {
            droppedFull.increment();
        }
    }

    /** Lists waiting to be written (tests wait for this to reach zero). */
    public int queued() {
        return queue.size();
    }

    private void writeUntilStopped() {
        List<ServedList> batch = new ArrayList<>(config.batchSize());
        while (writer != null) {
            try {
                ServedList first = queue.poll(1, TimeUnit.SECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                gather(batch);
                write(batch);
                batch.clear();
            } catch (InterruptedException e) {
                break;
            }
        }
        // stopping: what is still queued is written once, best effort
        queue.drainTo(batch);
        if (!batch.isEmpty()) {
            try {
                insert(batch);
            } catch (RuntimeException e) {
                LOG.warnf("Served lists: %d not recorded at shutdown (%s)", batch.size(), e.getMessage());
            }
        }
    }

    /**
     * Waits up to {@code batch-wait} for more records after the first: one transaction per few
     * hundred lists instead of per list or two at moderate traffic (the insert, the aggregates'
     * upsert and the commit were most of PostgreSQL's CPU per feed).
     */
    private void gather(List<ServedList> batch) throws InterruptedException {
        long until = System.nanoTime() + config.batchWait().toNanos();
        queue.drainTo(batch, config.batchSize() - batch.size());
        while (batch.size() < config.batchSize()) {
            long left = until - System.nanoTime();
            ServedList next = left > 0 ? queue.poll(left, TimeUnit.NANOSECONDS) : null;
            if (next == null) {
                return;
            }
            batch.add(next);
            queue.drainTo(batch, config.batchSize() - batch.size());
        }
    }

    private void write(List<ServedList> batch) throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                insert(batch);
                recorded.increment(batch.size());
                return;
            } catch (RuntimeException e) {
                if (attempt == ATTEMPTS) {
                    droppedFailing.increment(batch.size());
                    LOG.warnf("Served lists: %d dropped after %d attempts (%s)", batch.size(), ATTEMPTS, e.getMessage());
                    return;
                }
                Thread.sleep(RETRY_PAUSE.toMillis());
            }
        }
    }

    /**
     * Records a batch and counts it into the aggregates in one transaction, so a list is counted
     * exactly when it is recorded (a retried batch counts only the rows it adds). An experiment
     * shopper erased meanwhile keeps no per-shopper total; the placement still counts the list.
     */
    private void insert(List<ServedList> batch) {
        Map<String, Long> perPlacement = new HashMap<>();
        store.inTransaction(tx -> {
            tx.holdOffErasures();
            List<ServedListRow> recorded = tx.record(batch);
            Set<String> erased = tx.erased(recorded.stream().filter(ServedListRow::inExperiment)
                    .map(ServedListRow::userId).collect(Collectors.toSet()));
            Tally tally = new Tally(config.currency());
            perPlacement.clear();
            for (ServedListRow list : recorded) {
                tally.served(list, !erased.contains(list.userId()));
                perPlacement.merge(list.placement(), 1L, Long::sum);
            }
            tx.add(tally);
            return recorded.size();
        });
        perPlacement.forEach(metrics::served);
    }
}

package io.tastemaker.attribution;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.tastemaker.recommend.ServedLists;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Records list answers in {@code served_lists} off the request path: an answer only offers its
 * record to a bounded queue (no I/O, no lock held across I/O), and one writer thread inserts what
 * has gathered in multi-row batches. When PostgreSQL is slow or down the queue fills and further
 * records are dropped and counted: attribution loses those lists (their events count as unknown
 * recommIds), the storefront never waits.
 */
@ApplicationScoped
public class ServedListRecorder implements ServedLists {

    private static final Logger LOG = Logger.getLogger(ServedListRecorder.class);
    private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration RETRY_PAUSE = Duration.ofSeconds(1);
    private static final int ATTEMPTS = 3;
    private static final String INSERT = "INSERT INTO served_lists (recomm_id, served_at, placement, surface, user_id,"
            + " model_version, experiment_id, variant, first_position, product_ids, rule_ids)"
            + " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (recomm_id) DO NOTHING";

    private final Pool pool;
    private final AttributionConfig config;
    private final BlockingQueue<ServedList> queue;
    private final Counter recorded;
    private final Counter droppedFull;
    private final Counter droppedFailing;
    private volatile Thread writer;

    ServedListRecorder(Pool pool, AttributionConfig config, MeterRegistry registry) {
        this.pool = pool;
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
                queue.drainTo(batch, config.batchSize() - 1);
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

    private void insert(List<ServedList> batch) {
        List<Tuple> rows = new ArrayList<>(batch.size());
        for (ServedList s : batch) {
            rows.add(Tuple.tuple(List.of(s.recommId(), s.servedAt().atOffset(ZoneOffset.UTC), s.placement(),
                            s.surface().key()))
                    .addString(s.userId())
                    .addString(s.modelVersion())
                    .addLong(s.experimentId())
                    .addString(s.variant())
                    .addInteger(s.firstPosition())
                    .addArrayOfString(s.productIds().toArray(String[]::new))
                    .addArrayOfString(s.ruleIds().stream()
                            .map(ids -> ids.stream().map(String::valueOf).collect(Collectors.joining(",")))
                            .toArray(String[]::new)));
        }
        pool.preparedQuery(INSERT).executeBatch(rows).await().atMost(WRITE_TIMEOUT);
    }
}

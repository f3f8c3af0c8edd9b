package io.tastemaker.bench;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.tastemaker.embedding.ActiveModel;
import io.tastemaker.engagement.EngagementEvent;
import io.tastemaker.engagement.EngagementStore;
import io.tastemaker.engagement.EventCodec;
import io.tastemaker.engagement.EventType;
import io.tastemaker.runtime.RuntimeConfig;
import io.tastemaker.streams.KafkaClients;
import io.tastemaker.streams.Topics;
import io.tastemaker.vectors.ProductPayload;
import io.tastemaker.vectors.VectorIndex;
import io.tastemaker.vectors.VectorRecord;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The engagement consumer against the running app (embedded Kafka broker and PostgreSQL, the
 * app's own engagement consumer): (1) freshness, from a record's timestamp to its effects being
 * committed (the app's {@code tastemaker.engagement.freshness} timer), at a fixed event rate, and
 * whether the consumer keeps up; (2) the consumer's maximum sustained throughput on events produced
 * as fast as the producer allows; (4) REST intake under wrk load (if wrk is installed) and how fast
 * the consumer applies it; (3) PostgreSQL bytes per million events, over all phases. Products go straight
 * into the vector index (random unit vectors, no model: the consumer only reads vectors and
 * payloads); events go straight onto the engagement topic keyed by user id, as storefronts write them.
 * Not a test: it asserts only sanity and runs only on request:
 * {@code ./mvnw -B test -Dgroups=benchmark -Dbench.excluded=none -Dtest=EngagementBenchmark}
 * (sizes: -Dbench.products, -Dbench.users, -Dbench.rate, -Dbench.freshSeconds, -Dbench.events,
 * -Dbench.restSeconds, -Dbench.restConnections).
 * Results are printed and appended to {@code target/engagement-benchmark.txt}.
 */
@QuarkusTest
@TestProfile(BenchmarkProfile.class)
@Tag("benchmark")
class EngagementBenchmark {

    static final int PRODUCTS = Integer.getInteger("bench.products", 10_000);
    static final int USERS = Integer.getInteger("bench.users", 50_000);
    static final int RATE = Integer.getInteger("bench.rate", 5_000);
    static final int FRESH_SECONDS = Integer.getInteger("bench.freshSeconds", 60);
    static final int EVENTS = Integer.getInteger("bench.events", 1_000_000);
    static final int WARM_SECONDS = Integer.getInteger("bench.warmSeconds", 30);
    static final int REST_SECONDS = Integer.getInteger("bench.restSeconds", 30);
    static final int REST_CONNECTIONS = Integer.getInteger("bench.restConnections", 16);
    static final Duration DRAIN_TIMEOUT = Duration.ofMinutes(Integer.getInteger("bench.drainMinutes", 30));
    static final List<String> TOPS = List.of("Home", "Furniture", "Decor", "Kitchen", "Garden", "Fashion");
    static final List<String> KINDS = List.of("Lamps", "Chairs", "Rugs", "Mugs", "Planters", "Blankets", "Tables",
            "Vases", "Knives", "Jackets", "Boots", "Shelves", "Pillows", "Candles", "Bowls"); // x 2 tops = 30 paths
    static final EventType[] TYPES = {EventType.VIEW, EventType.CLICK, EventType.PIN, EventType.ADD_TO_CART,
            EventType.PURCHASE, EventType.HIDE};
    static final int[] PERCENT = {50, 25, 12, 6, 3, 4};

    @Inject ActiveModel model;
    @Inject VectorIndex index;
    @Inject EventCodec codec;
    @Inject KafkaClients kafka;
    @Inject Topics topics;
    @Inject EngagementStore store;
    @Inject MeterRegistry registry;
    @Inject Pool pool;
    @Inject RuntimeConfig runtime;

    private final StringBuilder report = new StringBuilder();

    @Test
    void measure() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 6);
        line("Tastemaker engagement benchmark, run %s at %s: %d cores, max heap %d MB, Java %s", run, Instant.now(),
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20,
                System.getProperty("java.version"));
        Events events = new Events(run, loadProducts(run));
        new Applied().awaitAndClose(endOffsets(topics.engagement()) - appliedOffsets()); // an earlier run's leftovers
        long[] before = {counted("tastemaker.engagement.events"), counted("tastemaker.engagement.duplicates"),
                endOffsets(topics.engagementDeadLetters())};
        Map<String, long[]> tablesBefore = store.tableSizes();
        long dbBefore = databaseSize();
        AtomicLong failedSends = new AtomicLong();

        // 1. freshness at a fixed rate, paced in 10 ms ticks
        Timer freshness = registry.find("tastemaker.engagement.freshness").timer();
        long count0 = freshness.count();
        double total0 = freshness.totalTime(TimeUnit.MILLISECONDS);
        Applied fresh = new Applied();
        long sent = 0;
        long maxLag = 0;
        long warmCount = 0;
        for (long tick = 1; tick <= (WARM_SECONDS + FRESH_SECONDS) * 100L; tick++) {
            if (tick == WARM_SECONDS * 100L) {
                warmCount = freshness.count(); // consumer start-up and JIT warm-up end here
            }
            for (long due = RATE * tick / 100; sent < due; sent++) {
                kafka.producer().send(events.record(), (md, e) -> { if (e != null) failedSends.incrementAndGet(); });
            }
            if (tick % 100 == 0) {
                maxLag = Math.max(maxLag, sent - fresh.latest());
            }
            for (long wait; (wait = fresh.start + tick * 10_000_000L - System.nanoTime()) > 0; ) {
                LockSupport.parkNanos(wait);
            }
        }
        kafka.producer().flush();
        double stopped = fresh.seconds();
        long lagAtStop = sent - fresh.latest();
        long target = endOffsets(topics.engagement()) - fresh.base;
        double drained = fresh.awaitAndClose(target);
        var snapshot = freshness.takeSnapshot();
        long count = freshness.count() - warmCount;
        line("(1) fixed rate %,d events/s for %d s after %d s of warm-up: %,d events sent in %.1f s (%,.0f/s), %,d on the log",
                RATE, FRESH_SECONDS, WARM_SECONDS, sent, stopped, sent / stopped, target);
        line("    freshness (record timestamp -> effects committed): %,d samples after warm-up (%,d before the phase)",
                count, count0);
        for (var v : snapshot.percentileValues()) {
            line("      p%-4.0f %,7.0f ms", v.percentile() * 100, v.value(TimeUnit.MILLISECONDS));
        }
        line("      mean %,7.0f ms, max %,.0f ms (percentiles and max over the timer's last 20-30 s, mean over the whole phase)",
                (freshness.totalTime(TimeUnit.MILLISECONDS) - total0) / Math.max(1, freshness.count() - count0), snapshot.max(TimeUnit.MILLISECONDS));
        line("    kept up? %s: lag (sent - applied, polled every 200 ms) max %,d events, at stop %,d;"
                + " drained %.1f s after production stopped", lagAtStop < RATE ? "yes" : "NO", maxLag, lagAtStop,
                Math.max(0, drained - stopped));
        line("    applied per second from the start of production: %s", fresh.perSecond());

        // 2. maximum sustained throughput: a burst as fast as the producer allows, two chunks of sends in flight
        Applied burst = new Applied();
        List<Future<RecordMetadata>> chunk = new ArrayList<>();
        List<Future<RecordMetadata>> previous = List.of();
        for (int i = 0; i < EVENTS; i++) {
            chunk.add(kafka.producer().send(events.record()));
            if (chunk.size() == 20_000 || i == EVENTS - 1) {
                for (Future<RecordMetadata> send : previous) {
                    send.get(1, TimeUnit.MINUTES); // a failed send fails the run
                }
                previous = chunk;
                chunk = new ArrayList<>();
            }
        }
        for (Future<RecordMetadata> send : previous) {
            send.get(1, TimeUnit.MINUTES);
        }
        double produced = burst.seconds();
        long burstTarget = endOffsets(topics.engagement()) - burst.base;
        double done = burst.awaitAndClose(burstTarget);
        List<String> tenths = new ArrayList<>();
        for (int d = 1; d <= 10; d++) {
            tenths.add(String.format(Locale.ROOT, "%.0f", burstTarget / 10.0
                    / (burst.secondsTo(burstTarget * d / 10) - burst.secondsTo(burstTarget * (d - 1) / 10))));
        }
        double p10 = burst.secondsTo(burstTarget / 10);
        double p90 = burst.secondsTo(burstTarget * 9 / 10);
        line("(2) burst of %,d events (%,d on the log):", EVENTS, burstTarget);
        line("    producer  %,9.0f events/s (%.1f s, generating and encoding included)", EVENTS / produced, produced);
        line("    consumer  %,9.0f events/s (start of production -> all applied, %.1f s)", burstTarget / done, done);
        line("    consumer  %,9.0f events/s between 10%% and 90%% applied (%.1f s -> %.1f s)",
                0.8 * burstTarget / (p90 - p10), p10, p90);
        line("    consumer events/s in each tenth of the burst: %s", tenths);

        // 4. REST intake: wrk posts 100 unique events per request; 202 means the broker has them all
        long restOnLog = 0;
        if (Files.isExecutable(Path.of("/usr/bin/wrk"))) {
            Applied rest = new Applied();
            ProcessBuilder wrkCommand = new ProcessBuilder("wrk", "-t2", "-c" + REST_CONNECTIONS, "-d" + REST_SECONDS + "s",
                    "--latency", "-s", "src/test/bench/events.lua", "http://127.0.0.1:" + io.restassured.RestAssured.port, "--",
                    "bench-" + run + "-p", String.valueOf(PRODUCTS), String.valueOf(USERS), "100")
                    .redirectErrorStream(true);
            // events are a storefront's: events.lua sends the key the embedded runtime keeps in this file
            wrkCommand.environment().put("BENCH_API_KEY_FILE",
                    runtime.dataDir().resolve("keys").resolve(BenchAccess.STOREFRONT).toAbsolutePath().toString());
            Process wrk = wrkCommand.start();
            String out = new String(wrk.getInputStream().readAllBytes());
            wrk.waitFor();
            double loadSeconds = rest.seconds();
            Thread.sleep(3000); // requests in flight when wrk stopped still reach the broker
            restOnLog = endOffsets(topics.engagement()) - rest.base;
            double restDone = rest.awaitAndClose(restOnLog);
            line("(4) REST: wrk -t2 -c%d -d%ds, 100 events per POST /v1/events:", REST_CONNECTIONS, REST_SECONDS);
            line("    intake    %,9.0f events/s accepted (%,d on the log; %s requests/s; latency p50 %s, p99 %s; non-202: %s)",
                    restOnLog / loadSeconds, restOnLog, wrkValue(out, "Requests/sec:\\s+([\\d.]+)"),
                    wrkValue(out, "\\s50%\\s+(\\S+)"), wrkValue(out, "\\s99%\\s+(\\S+)"),
                    wrkValue(out, "Non-2xx or 3xx responses:\\s+(\\d+)").replace("?", "0"));
            line("    consumer  %,9.0f events/s (start of load -> all applied, %.1f s; drained %.1f s after the load stopped)",
                    restOnLog / restDone, restDone, Math.max(0, restDone - loadSeconds));
        } else {
            line("(4) REST: skipped, wrk is not installed (apt-get install -y wrk)");
        }

        // 3. PostgreSQL size, as is (no VACUUM)
        long applied = counted("tastemaker.engagement.events") - before[0];
        long duplicates = counted("tastemaker.engagement.duplicates") - before[1];
        long deadLettered = endOffsets(topics.engagementDeadLetters()) - before[2];
        Map<String, long[]> tables = store.tableSizes();
        long dbAfter = databaseSize();
        Map<String, Long> dead = new HashMap<>();
        pool.query("SELECT relname::text, n_dead_tup FROM pg_stat_user_tables").execute().await()
                .atMost(Duration.ofSeconds(30)).forEach(row -> dead.put(row.getString(0), row.getLong(1)));
        line("(3) PostgreSQL after phases 1+2: %,d events applied in this JVM (%,d duplicates, %,d dead-lettered,"
                + " %,d failed sends)", applied, duplicates, deadLettered, failedSends.get());
        line("    %-20s %12s %14s %14s %10s %12s", "table", "rows", "bytes", "bytes added", "bytes/row", "dead rows~");
        tables.forEach((table, now) -> line("    %-20s %,12d %,14d %,14d %,10d %,12d", table, now[0], now[1],
                now[1] - tablesBefore.getOrDefault(table, new long[2])[1], now[1] / Math.max(1, now[0]),
                dead.getOrDefault(table, -1L)));
        double perEvent = (dbAfter - dbBefore) / (double) Math.max(1, applied);
        line("    database %,d -> %,d bytes: +%,d = %.0f bytes per event = %,.0f MB per million events applied",
                dbBefore, dbAfter, dbAfter - dbBefore, perEvent, perEvent);

        System.out.println(report);
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target/engagement-benchmark.txt"), report + "\n",
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        assertEquals(0, failedSends.get(), "failed sends");
        assertEquals(sent + EVENTS, target + burstTarget, "events on the log");
        assertEquals(target + burstTarget + restOnLog, applied + duplicates + deadLettered, "events accounted for");
    }

    /** P products straight into the index: random unit vectors and plausible payloads, in batches of 1,000. */
    private List<String> loadProducts(String run) {
        Random random = new Random(7);
        List<String> ids = new ArrayList<>();
        List<VectorRecord> batch = new ArrayList<>();
        long started = System.nanoTime();
        for (int i = 0; i < PRODUCTS; i++) {
            float[] vector = new float[model.dimension()];
            double norm = 0;
            for (int d = 0; d < vector.length; d++) {
                vector[d] = (float) random.nextGaussian();
                norm += vector[d] * vector[d];
            }
            for (int d = 0; d < vector.length; d++) {
                vector[d] /= (float) Math.sqrt(norm);
            }
            String brand = List.of("North", "Oak", "Lumen", "Fjord", "Terra", "Nova", "Aster", "Birch", "Cobalt", "Willow")
                    .get(i % 10) + List.of(" Home", " Works", " & Co", " Studio", " Goods").get(i / 10 % 5);
            int kind = random.nextInt(KINDS.size());
            List<String> path = List.of(TOPS.get((kind + random.nextInt(2)) % TOPS.size()), KINDS.get(kind));
            ids.add("bench-" + run + "-p" + i);
            batch.add(new VectorRecord(ids.get(i), vector, new ProductPayload(brand + " " + KINDS.get(kind) + " No. " + i,
                    brand, path, List.of(), BigDecimal.valueOf(500 + random.nextInt(50_000), 2), "USD", null, true, "bench")));
            if (batch.size() == 1_000 || i == PRODUCTS - 1) {
                index.upsert(batch);
                batch = new ArrayList<>();
            }
        }
        line("  %,d products (dimension %d, 50 brands, 30 category paths) upserted into the index in %.1f s; %,d users",
                PRODUCTS, model.dimension(), (System.nanoTime() - started) / 1e9, USERS);
        return ids;
    }

    /** Shoppers in sessions (1,000 open at a time), products by Zipf popularity (s = 1), types in storefront shares. */
    private final class Events {
        private final String run;
        private final List<String> products;
        private final double[] cdf;
        private final Random random = new Random(42);
        private final String[] users = new String[1_000];
        private final String[] sessions = new String[1_000];
        private final int[] left = new int[1_000];
        private long counter;

        Events(String run, List<String> products) {
            this.run = run;
            this.products = products;
            this.cdf = new double[products.size()];
            for (int i = 0; i < cdf.length; i++) {
                cdf[i] = (i == 0 ? 0 : cdf[i - 1]) + 1.0 / (i + 1);
            }
        }

        ProducerRecord<String, String> record() {
            int s = random.nextInt(users.length);
            if (left[s]-- <= 0) {
                users[s] = "u-" + run + "-" + random.nextInt(USERS);
                sessions[s] = users[s] + "-s" + counter;
                left[s] = random.nextInt(15); // 1 to 15 events, this one included
            }
            int t = 0;
            for (int roll = random.nextInt(100); roll >= PERCENT[t]; t++) {
                roll -= PERCENT[t];
            }
            int found = Arrays.binarySearch(cdf, random.nextDouble() * cdf[cdf.length - 1]);
            String product = products.get(Math.min(cdf.length - 1, found >= 0 ? found : -found - 1));
            String board = TYPES[t] == EventType.PIN && random.nextInt(3) > 0 ? users[s] + "-b" + random.nextInt(4) : null;
            EngagementEvent e = new EngagementEvent(run + "-e" + counter++, TYPES[t], users[s], product, sessions[s], board,
                    Instant.now().minusSeconds(1 + random.nextInt(5)));
            return new ProducerRecord<>(topics.engagement(), e.userId(), codec.encode(e));
        }
    }

    /** Events applied since it was made (the consumer's stored offsets), polled every 200 ms on its own thread. */
    private final class Applied {
        final long base = appliedOffsets();
        final long start = System.nanoTime();
        final List<long[]> samples = new CopyOnWriteArrayList<>(); // {nanos since start, applied since start}
        final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor();

        Applied() {
            poller.scheduleAtFixedRate(() -> {
                try {
                    samples.add(new long[]{System.nanoTime() - start, appliedOffsets() - base});
                } catch (RuntimeException e) {
                    System.err.println("could not read the stored offsets: " + e);
                }
            }, 0, 200, TimeUnit.MILLISECONDS);
        }

        long latest() {
            return samples.isEmpty() ? 0 : samples.get(samples.size() - 1)[1];
        }

        double seconds() {
            return (System.nanoTime() - start) / 1e9;
        }

        /** Seconds from the start to the first poll that saw {@code n} applied (0 for n = 0). */
        double secondsTo(long n) {
            return n <= 0 ? 0 : samples.stream().filter(s -> s[1] >= n).findFirst().map(s -> s[0] / 1e9).orElse(Double.NaN);
        }

        /** Events applied in each whole second since the start, as polled. */
        List<Long> perSecond() {
            List<Long> counts = new ArrayList<>();
            long last = 0;
            for (long[] s : samples) {
                if (s[0] >= (counts.size() + 1) * 1_000_000_000L) {
                    counts.add(s[1] - last);
                    last = s[1];
                }
            }
            return counts;
        }

        double awaitAndClose(long n) throws InterruptedException {
            try {
                long deadline = System.nanoTime() + DRAIN_TIMEOUT.toNanos();
                while (latest() < n) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("only " + latest() + " of " + n + " events applied in " + DRAIN_TIMEOUT);
                    }
                    Thread.sleep(50);
                }
                Thread.sleep(300); // the consumer bumps its counters and timer just after it commits
                return secondsTo(n);
            } finally {
                poller.shutdownNow();
            }
        }
    }

    private static String wrkValue(String output, String regex) {
        var m = java.util.regex.Pattern.compile(regex).matcher(output);
        return m.find() ? m.group(1) : "?";
    }

    /** Sum of the stored next offsets; a partition without one has applied nothing (the topic is kept for ever). */
    private long appliedOffsets() {
        return store.offsets(topics.engagement()).values().stream().mapToLong(Long::longValue).sum();
    }

    private long endOffsets(String topic) throws Exception {
        return kafka.offsets(topic, OffsetSpec.latest()).values().stream().mapToLong(Long::longValue).sum();
    }

    private long counted(String counter) {
        return (long) registry.find(counter).counters().stream().mapToDouble(Counter::count).sum();
    }

    private long databaseSize() {
        return pool.query("SELECT pg_database_size(current_database())").execute().await().atMost(Duration.ofSeconds(30))
                .iterator().next().getLong(0);
    }

    private void line(String format, Object... args) {
        report.append(String.format(Locale.ROOT, format, args)).append('\n');
    }
}

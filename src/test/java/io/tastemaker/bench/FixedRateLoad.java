package io.tastemaker.bench;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * An open-loop (wrk2-style) HTTP load at a fixed request rate, for latency at a given load.
 * Request {@code n} is due at {@code start + n / rate}; its latency runs from that due time to the
 * end of the response, so a stalled server cannot hide its queueing (no coordinated omission).
 * The time from the actual send is reported too, as "service time".
 *
 * <p>Usage: {@code FixedRateLoad <similar|search> <rate/s> [seconds=20] [warmupSeconds=5]
 * [dataDir=/tmp/tastemaker-bench] [baseUrl=http://127.0.0.1:8080]}. Loopback only; at most
 * 2,000,000 requests and 600 s per phase; a request still open after 10 s counts as an error.
 */
public final class FixedRateLoad {

    private static final long MAX_REQUESTS = 2_000_000;
    private static final int MAX_IN_FLIGHT = 4096;
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    private static final Set<String> LOOPBACK = Set.of("127.0.0.1", "localhost", "[::1]", "::1");

    private FixedRateLoad() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: FixedRateLoad <similar|search> <rate/s> [seconds=20] [warmupSeconds=5]"
                    + " [dataDir=/tmp/tastemaker-bench] [baseUrl=http://127.0.0.1:8080]");
            System.exit(2);
        }
        String endpoint = args[0];
        double rate = Double.parseDouble(args[1]);
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        int warmup = args.length > 3 ? Integer.parseInt(args[3]) : 5;
        Path dataDir = Path.of(args.length > 4 ? args[4] : "/tmp/tastemaker-bench");
        URI base = URI.create(args.length > 5 ? args[5] : "http://127.0.0.1:8080");
        if (!LOOPBACK.contains(base.getHost())) {
            throw new IllegalArgumentException("loopback only, got host " + base.getHost());
        }
        if (!(rate > 0 && rate <= 50_000) || seconds < 1 || seconds > 600 || warmup < 0 || warmup > 600) {
            throw new IllegalArgumentException("rate 0..50000/s, seconds 1..600, warmup 0..600");
        }
        List<URI> targets = switch (endpoint) {
            case "similar" -> BenchFiles.lines(dataDir.resolve(BenchFiles.IDS)).stream()
                    .map(id -> base.resolve("/v1/products/" + URLEncoder.encode(id, StandardCharsets.UTF_8) + "/similar"))
                    .toList();
            case "search" -> BenchFiles.lines(dataDir.resolve(BenchFiles.QUERIES)).stream()
                    .map(q -> base.resolve("/v1/search?q=" + URLEncoder.encode(q, StandardCharsets.UTF_8).replace("+", "%20")))
                    .toList();
            default -> throw new IllegalArgumentException("endpoint must be similar or search, got " + endpoint);
        };

        HttpClient client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        if (warmup > 0) {
            Phase w = new Phase(client, targets, rate, warmup);
            w.run();
            System.out.printf(Locale.ROOT, "warm-up  %s: %d s at %.0f/s, %s%n", endpoint, warmup, rate, w.summary());
        }
        Phase phase = new Phase(client, targets, rate, seconds);
        phase.run();
        System.out.printf(Locale.ROOT, "measured %s: %d s at %.0f/s, %s%n", endpoint, seconds, rate, phase.summary());
        System.out.printf(Locale.ROOT, "FIXED_RESULT endpoint=%s target_rps=%.0f achieved_rps=%.1f sent=%d ok=%d errors=%d"
                        + " p50_ms=%.3f p99_ms=%.3f p999_ms=%.3f max_ms=%.3f service_p50_ms=%.3f service_p99_ms=%.3f"
                        + " recorder=%s%n",
                endpoint, rate, phase.achievedRate(), phase.sent.get(), phase.ok.get(), phase.errors(),
                phase.latency.percentileMs(50), phase.latency.percentileMs(99), phase.latency.percentileMs(99.9),
                phase.latency.percentileMs(100), phase.service.percentileMs(50), phase.service.percentileMs(99),
                phase.latency.kind());
    }

    /** One fixed-rate run: sends, waits for the stragglers, keeps the figures. */
    private static final class Phase {
        final HttpClient client;
        final List<URI> targets;
        final double rate;
        final long total;
        final LatencyRecorder latency;
        final LatencyRecorder service;
        final AtomicLong sent = new AtomicLong();
        final AtomicLong ok = new AtomicLong();
        final AtomicLong failed = new AtomicLong();
        final AtomicLong dropped = new AtomicLong();
        final AtomicInteger inFlight = new AtomicInteger();
        final Map<String, Long> failures = new TreeMap<>();
        long startedNanos;
        long endedNanos;

        Phase(HttpClient client, List<URI> targets, double rate, int seconds) {
            this.client = client;
            this.targets = targets;
            this.rate = rate;
            this.total = Math.min(MAX_REQUESTS, Math.round(rate * seconds));
            this.latency = LatencyRecorder.create((int) total);
            this.service = LatencyRecorder.create((int) total);
        }

        void run() throws InterruptedException {
            double interval = 1e9 / rate;
            startedNanos = System.nanoTime();
            for (long n = 0; n < total; n++) {
                long due = startedNanos + (long) (n * interval);
                long wait;
                while ((wait = due - System.nanoTime()) > 0) {
                    LockSupport.parkNanos(wait);
                }
                if (inFlight.get() >= MAX_IN_FLIGHT) {
                    dropped.incrementAndGet();
                    continue;
                }
                URI uri = targets.get(ThreadLocalRandom.current().nextInt(targets.size()));
                HttpRequest request = HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT).GET().build();
                inFlight.incrementAndGet();
                sent.incrementAndGet();
                long sentAt = System.nanoTime();
                client.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray()).whenComplete((response, error) -> {
                    long now = System.nanoTime();
                    if (error == null && response.statusCode() == 200 && response.body().length > 0) {
                        ok.incrementAndGet();
                        latency.record(now - due);
                        service.record(now - sentAt);
                    } else {
                        failed.incrementAndGet();
                        String why = error != null ? rootCause(error).getClass().getSimpleName()
                                : "HTTP " + response.statusCode();
                        synchronized (failures) {
                            failures.merge(why, 1L, Long::sum);
                        }
                    }
                    inFlight.decrementAndGet();
                });
            }
            long deadline = System.nanoTime() + REQUEST_TIMEOUT.toNanos() + TimeUnit.SECONDS.toNanos(5);
            while (inFlight.get() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            endedNanos = System.nanoTime();
        }

        long errors() {
            return failed.get() + dropped.get() + inFlight.get();
        }

        double achievedRate() {
            return ok.get() / ((endedNanos - startedNanos) / 1e9);
        }

        String summary() {
            String detail;
            synchronized (failures) {
                detail = failures.isEmpty() ? "" : " " + failures;
            }
            return String.format(Locale.ROOT, "sent %d, ok %d, errors %d (dropped %d, unfinished %d)%s;"
                            + " latency p50 %.3f ms, p99 %.3f ms, p99.9 %.3f ms, max %.3f ms;"
                            + " service time p50 %.3f ms, p99 %.3f ms",
                    sent.get(), ok.get(), errors(), dropped.get(), inFlight.get(), detail,
                    latency.percentileMs(50), latency.percentileMs(99), latency.percentileMs(99.9),
                    latency.percentileMs(100), service.percentileMs(50), service.percentileMs(99));
        }
    }

    private static Throwable rootCause(Throwable e) {
        while (e.getCause() != null && e.getCause() != e) {
            e = e.getCause();
        }
        return e;
    }

    /** HdrHistogram when it is on the class path (it comes with Micrometer), else a sorted array. */
    private abstract static class LatencyRecorder {
        abstract void record(long nanos);

        abstract double percentileMs(double percentile);

        abstract String kind();

        static LatencyRecorder create(int capacity) {
            try {
                return new Hdr();
            } catch (ReflectiveOperationException | LinkageError e) {
                return new Sorted(capacity);
            }
        }
    }

    private static final class Hdr extends LatencyRecorder {
        private static final long HIGHEST = TimeUnit.SECONDS.toNanos(60);
        private final MethodHandle record;
        private final MethodHandle percentile;
        private final MethodHandle max;
        private final MethodHandle count;

        Hdr() throws ReflectiveOperationException {
            Class<?> type = Class.forName("org.HdrHistogram.Histogram");
            Object histogram = type.getConstructor(long.class, int.class).newInstance(HIGHEST, 3);
            MethodHandles.Lookup lookup = MethodHandles.publicLookup();
            record = lookup.findVirtual(type, "recordValue", MethodType.methodType(void.class, long.class)).bindTo(histogram);
            percentile = lookup.findVirtual(type, "getValueAtPercentile", MethodType.methodType(long.class, double.class))
                    .bindTo(histogram);
            max = lookup.findVirtual(type, "getMaxValue", MethodType.methodType(long.class)).bindTo(histogram);
            count = lookup.findVirtual(type, "getTotalCount", MethodType.methodType(long.class)).bindTo(histogram);
        }

        @Override
        synchronized void record(long nanos) {
            try {
                record.invokeExact(Math.max(0L, Math.min(nanos, HIGHEST)));
            } catch (Throwable e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        synchronized double percentileMs(double p) {
            try {
                if ((long) count.invokeExact() == 0) {
                    return Double.NaN;
                }
                long value = p >= 100 ? (long) max.invokeExact() : (long) percentile.invokeExact(p);
                return value / 1e6;
            } catch (Throwable e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        String kind() {
            return "HdrHistogram";
        }
    }

    private static final class Sorted extends LatencyRecorder {
        private final long[] values;
        private int size;
        private boolean sorted;

        Sorted(int capacity) {
            values = new long[Math.max(1, capacity)];
        }

        @Override
        synchronized void record(long nanos) {
            if (size < values.length) {
                values[size++] = nanos;
                sorted = false;
            }
        }

        @Override
        synchronized double percentileMs(double p) {
            if (size == 0) {
                return Double.NaN;
            }
            if (!sorted) {
                Arrays.sort(values, 0, size);
                sorted = true;
            }
            int rank = (int) Math.ceil(p / 100.0 * size) - 1;
            return values[Math.max(0, Math.min(size - 1, rank))] / 1e6;
        }

        @Override
        String kind() {
            return "sorted array";
        }
    }
}

package io.tastemaker.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * An open-loop (wrk2-style) HTTP load at a fixed request rate, for latency at a given load.
 * Request {@code n} is due at {@code start + n / rate}; its latency runs from that due time to the
 * end of its response, so time spent queued behind a slow server counts (no coordinated
 * omission). The time from the actual send is reported too, as "service time".
 *
 * <p>A deliberately small client, since it shares the 2 cores with the service: one scheduler
 * thread queues due times, {@code connections} threads (default 32, as the wrk runs) each own a
 * keep-alive HTTP/1.1 connection with blocking I/O and take the next due request. (The JDK
 * HttpClient cost over a core at 500 requests/s here, which starved the service.)
 *
 * <p>Usage: {@code FixedRateLoad <similar|search|feed> <rate/s> [seconds=20] [warmupSeconds=5]
 * [dataDir=/tmp/tastemaker-bench] [baseUrl=http://127.0.0.1:8080] [connections=32]}, with the
 * storefront key the service keeps in {@code dataDir/keys/storefront}. Loopback only; at most
 * 2,000,000 requests and 600 s per phase; requests due while 100,000 are already waiting are
 * dropped and counted as errors; a response slower than 10 s is an error.
 *
 * <p>With {@code -Dbench.slowLog=FILE} the measured phase also writes every request slower than
 * {@code -Dbench.slowMs} (default 30) to FILE, one per line: its due time as wall-clock epoch
 * milliseconds, latency and service time in milliseconds. {@link SlowRequestsVsPauses} lines them
 * up with the service's GC pauses.
 */
public final class FixedRateLoad {

    private static final long MAX_REQUESTS = 2_000_000;
    private static final int MAX_QUEUED = 100_000;
    private static final int READ_TIMEOUT_MS = 10_000;
    private static final Set<String> LOOPBACK = Set.of("127.0.0.1", "localhost", "[::1]", "::1");

    private FixedRateLoad() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: FixedRateLoad <similar|search|feed> <rate/s> [seconds=20] [warmupSeconds=5]"
                    + " [dataDir=/tmp/tastemaker-bench] [baseUrl=http://127.0.0.1:8080] [connections=32]");
            System.exit(2);
        }
        String endpoint = args[0];
        double rate = Double.parseDouble(args[1]);
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        int warmup = args.length > 3 ? Integer.parseInt(args[3]) : 5;
        Path dataDir = Path.of(args.length > 4 ? args[4] : "/tmp/tastemaker-bench");
        URI base = URI.create(args.length > 5 ? args[5] : "http://127.0.0.1:8080");
        int connections = args.length > 6 ? Integer.parseInt(args[6]) : 32;
        if (!"http".equals(base.getScheme()) || !LOOPBACK.contains(base.getHost())) {
            throw new IllegalArgumentException("plain http on loopback only, got " + base);
        }
        if (!(rate > 0 && rate <= 50_000) || seconds < 1 || seconds > 600 || warmup < 0 || warmup > 600
                || connections < 1 || connections > 512) {
            throw new IllegalArgumentException("rate 0..50000/s, seconds 1..600, warmup 0..600, connections 1..512");
        }
        List<String> paths = switch (endpoint) {
            case "similar" -> BenchFiles.lines(dataDir.resolve(BenchFiles.IDS)).stream()
                    .map(id -> "/v1/products/" + URLEncoder.encode(id, StandardCharsets.UTF_8) + "/similar")
                    .toList();
            case "search" -> BenchFiles.lines(dataDir.resolve(BenchFiles.QUERIES)).stream()
                    .map(q -> "/v1/search?q=" + URLEncoder.encode(q, StandardCharsets.UTF_8).replace("+", "%20"))
                    .toList();
            case "feed" -> BenchFiles.lines(dataDir.resolve(LoadEngagement.USERS_FILE)).stream()
                    .map(u -> "/v1/users/" + URLEncoder.encode(u, StandardCharsets.UTF_8) + "/feed?limit=20")
                    .toList();
            default -> throw new IllegalArgumentException("endpoint must be similar, search or feed, got " + endpoint);
        };
        String hostHeader = base.getHost() + ":" + (base.getPort() < 0 ? 80 : base.getPort());
        String authorization = BenchAccess.bearer(dataDir, BenchAccess.STOREFRONT); // every endpoint here is a list
        List<byte[]> requests = paths.stream()
                .map(p -> ("GET " + p + " HTTP/1.1\r\nHost: " + hostHeader + "\r\nAccept: application/json\r\n"
                        + "Authorization: " + authorization + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII))
                .toList();
        InetSocketAddress address = new InetSocketAddress(base.getHost(), base.getPort() < 0 ? 80 : base.getPort());

        if (warmup > 0) {
            Phase w = new Phase(address, requests, rate, warmup, connections);
            w.run();
            System.out.printf(Locale.ROOT, "warm-up  %s: %d s at %.0f/s, %s%n", endpoint, warmup, rate, w.summary());
        }
        Phase phase = new Phase(address, requests, rate, seconds, connections);
        String slowLog = System.getProperty("bench.slowLog");
        if (slowLog != null) {
            phase.slowNanos = TimeUnit.MILLISECONDS.toNanos(Long.getLong("bench.slowMs", 30));
        }
        phase.run();
        if (slowLog != null) {
            Files.write(Path.of(slowLog), phase.slow, StandardCharsets.US_ASCII);
            System.out.printf(Locale.ROOT, "%d requests slower than %s ms written to %s%n", phase.slow.size(),
                    Long.getLong("bench.slowMs", 30), slowLog);
        }
        System.out.printf(Locale.ROOT, "measured %s: %d s at %.0f/s, %s%n", endpoint, seconds, rate, phase.summary());
        System.out.printf(Locale.ROOT, "FIXED_RESULT endpoint=%s target_rps=%.0f achieved_rps=%.1f sent=%d ok=%d errors=%d"
                        + " p50_ms=%.3f p99_ms=%.3f p999_ms=%.3f max_ms=%.3f service_p50_ms=%.3f service_p99_ms=%.3f"
                        + " connections=%d recorder=%s%n",
                endpoint, rate, phase.achievedRate(), phase.sent.get(), phase.ok.get(), phase.errors(),
                phase.latency.percentileMs(50), phase.latency.percentileMs(99), phase.latency.percentileMs(99.9),
                phase.latency.percentileMs(100), phase.service.percentileMs(50), phase.service.percentileMs(99),
                connections, phase.latency.kind().replace(' ', '-'));
    }

    /** One fixed-rate run: queues due times at the rate, connection threads send them, keeps the figures. */
    private static final class Phase {
        final InetSocketAddress address;
        final List<byte[]> requests;
        final double rate;
        final long total;
        final int connections;
        final BlockingQueue<Long> due = new ArrayBlockingQueue<>(MAX_QUEUED);
        final LatencyRecorder latency;
        final LatencyRecorder service;
        final AtomicLong sent = new AtomicLong();
        final AtomicLong ok = new AtomicLong();
        final AtomicLong failed = new AtomicLong();
        final AtomicLong dropped = new AtomicLong();
        final Map<String, Long> failures = new TreeMap<>();
        volatile boolean scheduling = true;
        /** Requests at least this slow are kept in {@link #slow}; never when MAX_VALUE. */
        long slowNanos = Long.MAX_VALUE;
        final ConcurrentLinkedQueue<String> slow = new ConcurrentLinkedQueue<>();
        /** Wall clock minus the monotonic clock, in nanoseconds: turns due times into epoch time. */
        final long epochOffsetNanos = TimeUnit.MILLISECONDS.toNanos(System.currentTimeMillis()) - System.nanoTime();
        long startedNanos;
        long endedNanos;

        Phase(InetSocketAddress address, List<byte[]> requests, double rate, int seconds, int connections) {
            this.address = address;
            this.requests = requests;
            this.rate = rate;
            this.connections = connections;
            this.total = Math.min(MAX_REQUESTS, Math.round(rate * seconds));
            this.latency = LatencyRecorder.create((int) total);
            this.service = LatencyRecorder.create((int) total);
        }

        void run() throws InterruptedException {
            List<Thread> workers = new ArrayList<>();
            for (int c = 0; c < connections; c++) {
                Thread worker = new Thread(this::connection, "conn-" + c);
                worker.setDaemon(true);
                workers.add(worker);
                worker.start();
            }
            double interval = 1e9 / rate;
            startedNanos = System.nanoTime();
            for (long n = 0; n < total; n++) {
                long dueAt = startedNanos + (long) (n * interval);
                long wait;
                while ((wait = dueAt - System.nanoTime()) > 0) {
                    LockSupport.parkNanos(wait);
                }
                if (!due.offer(dueAt)) {
                    dropped.incrementAndGet();
                }
            }
            scheduling = false;
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(READ_TIMEOUT_MS) + TimeUnit.SECONDS.toNanos(5);
            for (Thread worker : workers) {
                worker.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            }
            endedNanos = System.nanoTime();
            for (Thread worker : workers) {
                worker.interrupt();
            }
        }

        /** One keep-alive connection: takes due requests until the schedule is done and the queue empty. */
        private void connection() {
            Socket socket = null;
            InputStream in = null;
            try {
                while (true) {
                    Long dueAt = due.poll(20, TimeUnit.MILLISECONDS);
                    if (dueAt == null) {
                        if (!scheduling) {
                            return;
                        }
                        continue;
                    }
                    byte[] request = requests.get(ThreadLocalRandom.current().nextInt(requests.size()));
                    sent.incrementAndGet();
                    long sentAt = System.nanoTime();
                    try {
                        if (socket == null) {
                            socket = new Socket();
                            socket.setTcpNoDelay(true);
                            socket.setSoTimeout(READ_TIMEOUT_MS);
                            socket.connect(address, 5_000);
                            in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
                        }
                        OutputStream out = socket.getOutputStream();
                        out.write(request);
                        out.flush();
                        Response response = Response.read(in);
                        long now = System.nanoTime();
                        if (response.status == 200 && response.bodyBytes > 0) {
                            ok.incrementAndGet();
                            latency.record(now - dueAt);
                            service.record(now - sentAt);
                            if (now - dueAt >= slowNanos) {
                                slow.add(String.format(Locale.ROOT, "%.1f %.3f %.3f", (dueAt + epochOffsetNanos) / 1e6,
                                        (now - dueAt) / 1e6, (now - sentAt) / 1e6));
                            }
                        } else {
                            fail("HTTP " + response.status);
                        }
                        if (response.close) {
                            socket = close(socket);
                        }
                    } catch (IOException e) {
                        fail(e.getClass().getSimpleName());
                        socket = close(socket);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                close(socket);
            }
        }

        private Socket close(Socket socket) {
            if (socket != null) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
            }
            return null;
        }

        private void fail(String why) {
            failed.incrementAndGet();
            synchronized (failures) {
                failures.merge(why, 1L, Long::sum);
            }
        }

        long unfinished() {
            return Math.max(0, sent.get() - ok.get() - failed.get()) + due.size();
        }

        long errors() {
            return failed.get() + dropped.get() + unfinished();
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
                    sent.get(), ok.get(), errors(), dropped.get(), unfinished(), detail,
                    latency.percentileMs(50), latency.percentileMs(99), latency.percentileMs(99.9),
                    latency.percentileMs(100), service.percentileMs(50), service.percentileMs(99));
        }
    }

    /** The parts of an HTTP/1.1 response the load needs; the body is read and dropped. */
    private record Response(int status, long bodyBytes, boolean close) {

        static Response read(InputStream in) throws IOException {
            String statusLine = line(in);
            String[] parts = statusLine.split(" ", 3);
            if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
                throw new IOException("not an HTTP/1.x status line: " + statusLine);
            }
            int status = Integer.parseInt(parts[1]);
            long length = -1;
            boolean chunked = false;
            boolean close = parts[0].equals("HTTP/1.0");
            for (String header = line(in); !header.isEmpty(); header = line(in)) {
                int colon = header.indexOf(':');
                if (colon < 0) {
                    continue;
                }
                String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                String value = header.substring(colon + 1).trim().toLowerCase(Locale.ROOT);
                switch (name) {
                    case "content-length" -> length = Long.parseLong(value);
                    case "transfer-encoding" -> chunked = value.contains("chunked");
                    case "connection" -> close = value.contains("close");
                    default -> {
                    }
                }
            }
            long body;
            if (chunked) {
                body = 0;
                while (true) {
                    String size = line(in);
                    int semicolon = size.indexOf(';');
                    long chunk = Long.parseLong((semicolon < 0 ? size : size.substring(0, semicolon)).trim(), 16);
                    if (chunk == 0) {
                        while (!line(in).isEmpty()) {
                            // trailers
                        }
                        break;
                    }
                    skip(in, chunk);
                    body += chunk;
                    line(in);
                }
            } else if (length >= 0) {
                skip(in, length);
                body = length;
            } else {
                throw new IOException("response without Content-Length or chunked encoding");
            }
            return new Response(status, body, close);
        }

        private static String line(InputStream in) throws IOException {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
            int b;
            while ((b = in.read()) != '\n') {
                if (b < 0) {
                    throw new EOFException("connection closed mid-response");
                }
                if (b != '\r') {
                    bytes.write(b);
                }
                if (bytes.size() > 16 * 1024) {
                    throw new IOException("header line too long");
                }
            }
            return bytes.toString(StandardCharsets.ISO_8859_1);
        }

        private static void skip(InputStream in, long n) throws IOException {
            while (n > 0) {
                long skipped = in.skip(n);
                if (skipped <= 0) {
                    if (in.read() < 0) {
                        throw new EOFException("connection closed mid-body");
                    }
                    skipped = 1;
                }
                n -= skipped;
            }
        }
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

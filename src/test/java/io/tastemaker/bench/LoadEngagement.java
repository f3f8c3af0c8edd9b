package io.tastemaker.bench;

import io.tastemaker.catalog.Product;
import io.tastemaker.demo.DemoCatalog;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Shopper engagement for the load run: {@code users} shoppers (default 100,000) with about six
 * events each over the load catalog's products, posted to a running service through
 * {@code POST /v1/events} in batches of 500, then waited for until the engagement consumer has
 * applied every one of them (its offsets stored in PostgreSQL with the state they produced).
 *
 * <p>How the shoppers behave (seeded, so the same events for the same arguments and clock):
 * <ul>
 *   <li>each shopper likes 1 (40 %), 2 (40 %) or 3 (20 %) leaf categories, popular categories more
 *       often (Zipf, s = 0.7, over the 28 categories in a seeded order); the first one most
 *       (category weights 1, 0.6, 0.36);</li>
 *   <li>within a category products are Zipf-popular (s = 1 over a seeded order of its products),
 *       so a few products collect many engagements and most of the catalog a few or none;</li>
 *   <li>2 to 10 events (mean 6) in 1 to 3 sessions, each starting at a uniform time in the last
 *       14 days (and ending at least an hour before now), 15 to 180 s apart;</li>
 *   <li>30 % of events come back to a product the shopper already touched (click 35 %, pin 35 %,
 *       add_to_cart 20 %, purchase 10 %); first touches are view 55 %, click 27 %, pin 15 %, and
 *       3 % are hides of a random product outside the shopper's categories. Pins go to a board
 *       per shopper and category.</li>
 * </ul>
 * Events are posted in time order, one request at a time (so each shopper's events reach the
 * topic in order); a 503 is retried (an eventId counts once).
 *
 * <p>Usage: {@code LoadEngagement ingest <dataDir> [users=100000] [baseUrl=http://127.0.0.1:8080]
 * [jdbcUrl=jdbc:postgresql://127.0.0.1:15432/postgres]} (writes {@code bench-users.txt} and
 * {@code bench-engagement.properties}); {@code LoadEngagement plan <dataDir> [users]} only prints
 * the statistics of the events it would post; {@code LoadEngagement stats [jdbcUrl]} prints row
 * counts and sizes of the engagement tables. Loopback only. Events go with the storefront key and
 * profile reads with the operator key the service keeps in {@code <dataDir>/keys/}; metrics are read
 * on the management port ({@code MANAGEMENT_PORT}, 9000).
 */
public final class LoadEngagement {

    static final String USERS_FILE = "bench-users.txt";
    static final String MARKER = "bench-engagement.properties";
    static final String TOPIC = "tastemaker.engagement.v1";
    static final long SEED = 4242;
    static final int BATCH = 500;
    static final double PRODUCT_ZIPF = 1.0;
    static final double CATEGORY_ZIPF = 0.7;
    static final Duration SPAN = Duration.ofDays(14);
    static final Duration DRAIN_TIMEOUT = Duration.ofMinutes(40);
    private static final Pattern LAG = Pattern.compile("^tastemaker_consumer_lag\\{[^}]*engagement[^}]*}\\s+([0-9.eE+-]+)",
            Pattern.MULTILINE);
    private static final Pattern APPLIED = Pattern.compile("^tastemaker_engagement_events_total\\{[^}]*}\\s+([0-9.eE+-]+)",
            Pattern.MULTILINE);

    private LoadEngagement() {
    }

    record Event(long atMillis, String eventId, String type, String userId, String productId, String sessionId,
                 String boardId) {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1 || !Set.of("ingest", "plan", "stats").contains(args[0])
                || (!args[0].equals("stats") && args.length < 2)) {
            System.err.println("usage: LoadEngagement ingest <dataDir> [users=100000] [baseUrl] [jdbcUrl]\n"
                    + "       LoadEngagement plan <dataDir> [users=100000]\n"
                    + "       LoadEngagement stats [jdbcUrl]");
            System.exit(2);
        }
        if (args[0].equals("stats")) {
            String jdbc = args.length > 1 ? args[1] : "jdbc:postgresql://127.0.0.1:15432/postgres";
            loopbackJdbc(jdbc);
            try (Connection c = DriverManager.getConnection(jdbc, "postgres", "")) {
                printStats(c);
            }
            return;
        }
        Path dataDir = Path.of(args[1]).toAbsolutePath();
        int users = args.length > 2 ? Integer.parseInt(args[2]) : 100_000;
        if (users < 1 || users > 10_000_000) {
            throw new IllegalArgumentException("users must be in 1..10,000,000");
        }
        int products = catalogSize(dataDir);
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        long started = System.nanoTime();
        List<Product> catalog = DemoCatalog.generate(products, LoadCatalogBuilder.SEED);
        List<Event> events = generate(catalog, users, now, new Random(SEED));
        System.out.printf(Locale.ROOT, "Generated %,d events for %,d shoppers over %,d products in %.1f s%n",
                events.size(), users, products, (System.nanoTime() - started) / 1e9);
        Map<String, Object> plan = describe(events, users);
        plan.forEach((k, v) -> System.out.println("  " + k + "=" + v));
        if (args[0].equals("plan")) {
            return;
        }

        URI base = URI.create(args.length > 3 ? args[3] : "http://127.0.0.1:8080");
        String jdbc = args.length > 4 ? args[4] : "jdbc:postgresql://127.0.0.1:15432/postgres";
        if (!"http".equals(base.getScheme()) || !Set.of("127.0.0.1", "localhost").contains(base.getHost())) {
            throw new IllegalArgumentException("plain http on loopback only, got " + base);
        }
        loopbackJdbc(jdbc);
        List<String> userIds = new ArrayList<>(users);
        for (int u = 0; u < users; u++) {
            userIds.add(userId(u));
        }
        Files.deleteIfExists(dataDir.resolve(MARKER));
        Files.write(dataDir.resolve(USERS_FILE), userIds, StandardCharsets.UTF_8);

        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        String storefront = BenchAccess.bearer(dataDir, BenchAccess.STOREFRONT); // events
        String operator = BenchAccess.bearer(dataDir, BenchAccess.OPERATOR); // profile reads
        try (Connection db = DriverManager.getConnection(jdbc, "postgres", "")) {
            long baseline = appliedOffsets(db);
            System.out.printf(Locale.ROOT, "Engagement offsets already applied before posting: %,d%n", baseline);
            Progress progress = new Progress(DriverManager.getConnection(jdbc, "postgres", ""), baseline, http,
                    BenchAccess.management(base));
            progress.start();
            long postStart = System.nanoTime();
            long accepted = 0;
            int requests = 0;
            int retries = 0;
            long[] requestNanos = new long[(events.size() + BATCH - 1) / BATCH];
            for (int from = 0; from < events.size(); from += BATCH) {
                String body = body(events.subList(from, Math.min(from + BATCH, events.size())));
                HttpRequest request = HttpRequest.newBuilder(base.resolve("/v1/events"))
                        .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json")
                        .header("Authorization", storefront).POST(HttpRequest.BodyPublishers.ofString(body)).build();
                for (int attempt = 1; ; attempt++) {
                    long t0 = System.nanoTime();
                    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                    requestNanos[requests] = System.nanoTime() - t0;
                    if (response.statusCode() == 202) {
                        Matcher m = Pattern.compile("\"accepted\"\\s*:\\s*(\\d+)").matcher(response.body());
                        if (!m.find()) {
                            throw new IllegalStateException("202 without an accepted count: " + response.body());
                        }
                        accepted += Long.parseLong(m.group(1));
                        break;
                    }
                    if (response.statusCode() == 503 && attempt < 10) {
                        retries++;
                        Thread.sleep(500L * attempt);
                        continue;
                    }
                    throw new IllegalStateException("POST /v1/events (events " + from + "..) answered HTTP "
                            + response.statusCode() + ": " + abbreviate(response.body()));
                }
                requests++;
                if (requests % 200 == 0) {
                    System.out.printf(Locale.ROOT, "  posted %,d events (%.1f s); consumer: %s%n", accepted,
                            (System.nanoTime() - postStart) / 1e9, progress.latestText());
                }
            }
            double postSeconds = (System.nanoTime() - postStart) / 1e9;
            Arrays.sort(requestNanos, 0, requests);
            System.out.printf(Locale.ROOT, "Posted %,d events in %,d requests of up to %d in %.1f s (%.0f events/s accepted;"
                            + " request p50 %.1f ms, p99 %.1f ms; %d retries after 503)%n", accepted, requests, BATCH,
                    postSeconds, accepted / postSeconds, requestNanos[requests / 2] / 1e6,
                    requestNanos[Math.min(requests - 1, (int) Math.ceil(requests * 0.99) - 1)] / 1e6, retries);
            if (accepted != events.size()) {
                throw new IllegalStateException("accepted " + accepted + " of " + events.size() + " events");
            }
            long target = baseline + accepted;
            long deadline = System.nanoTime() + DRAIN_TIMEOUT.toNanos();
            long applied;
            while ((applied = appliedOffsets(db)) < target) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("only " + (applied - baseline) + " of " + accepted
                            + " events applied after " + DRAIN_TIMEOUT);
                }
                Thread.sleep(100);
            }
            double ingestSeconds = (System.nanoTime() - postStart) / 1e9;
            progress.stop();
            System.out.printf(Locale.ROOT, "All %,d events applied %.1f s after the first POST (%.0f events/s end to end;"
                            + " %.1f s after the last POST); consumer lag max %s during it; applied at 25/50/75 %%:"
                            + " %.1f / %.1f / %.1f s%n", accepted, ingestSeconds, accepted / ingestSeconds,
                    ingestSeconds - postSeconds, progress.maxLagText(), progress.secondsTo(baseline + accepted / 4),
                    progress.secondsTo(baseline + accepted / 2), progress.secondsTo(baseline + 3 * accepted / 4));

            int ok = 0;
            List<String> sample = new ArrayList<>();
            Random r = new Random(SEED + 9);
            for (int i = 0; i < 20; i++) {
                sample.add(userIds.get(r.nextInt(users)));
            }
            sample.add(userIds.get(0));
            sample.add(userIds.get(users - 1));
            String example = null;
            for (String user : sample) {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(base.resolve("/v1/users/" + user + "/profile"))
                        .timeout(Duration.ofSeconds(10)).header("Authorization", operator).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    ok++;
                    if (example == null) {
                        example = user + " -> " + abbreviate(response.body());
                    }
                } else {
                    System.out.println("  profile of " + user + ": HTTP " + response.statusCode() + " " + abbreviate(response.body()));
                }
            }
            System.out.printf("Profiles of %d sampled shoppers: %d answered 200; e.g. %s%n", sample.size(), ok, example);
            Map<String, String> stats = printStats(db);

            List<String> marker = new ArrayList<>();
            marker.add("# written by LoadEngagement " + Instant.now());
            marker.add("users=" + users);
            marker.add("products=" + products);
            marker.add("events=" + accepted);
            marker.add("seed=" + SEED);
            marker.add("generatedAt=" + now);
            plan.forEach((k, v) -> marker.add(k + "=" + v));
            marker.add(String.format(Locale.ROOT, "postSeconds=%.1f", postSeconds));
            marker.add(String.format(Locale.ROOT, "ingestSeconds=%.1f", ingestSeconds));
            marker.add("sampledProfilesOk=" + ok + "/" + sample.size());
            stats.forEach((k, v) -> marker.add(k + "=" + v));
            Files.write(dataDir.resolve(MARKER), marker, StandardCharsets.UTF_8);
            System.out.printf(Locale.ROOT, "ENGAGEMENT_RESULT users=%d events=%d post_s=%.1f ingest_s=%.1f events_per_s=%.0f"
                            + " profiles_ok=%d/%d taste_profiles=%s co_engagement_links=%s%n", users, accepted, postSeconds,
                    ingestSeconds, accepted / ingestSeconds, ok, sample.size(), stats.get("tasteProfiles"),
                    stats.get("coEngagementLinks"));
            if (ok != sample.size()) {
                System.exit(1);
            }
        }
    }

    // ---- the shoppers ----------------------------------------------------------------------

    static String userId(int u) {
        return String.format("shopper-%06d", u);
    }

    static List<Event> generate(List<Product> catalog, int users, Instant now, Random random) {
        Map<String, List<String>> byLeaf = new TreeMap<>();
        for (Product p : catalog) {
            byLeaf.computeIfAbsent(p.categoryPath().get(p.categoryPath().size() - 1), c -> new ArrayList<>()).add(p.id());
        }
        List<String> leaves = new ArrayList<>(byLeaf.keySet());
        Collections.shuffle(leaves, random);
        double[] leafCdf = zipfCdf(leaves.size(), CATEGORY_ZIPF);
        List<List<String>> productsOf = new ArrayList<>();
        List<double[]> productCdfs = new ArrayList<>();
        Map<Integer, double[]> cdfBySize = new HashMap<>();
        for (String leaf : leaves) {
            List<String> ids = new ArrayList<>(byLeaf.get(leaf));
            Collections.shuffle(ids, random); // popularity order within the category
            productsOf.add(ids);
            productCdfs.add(cdfBySize.computeIfAbsent(ids.size(), n -> zipfCdf(n, PRODUCT_ZIPF)));
        }
        long spanSeconds = SPAN.minusHours(1).toSeconds();
        long startMillis = now.minus(SPAN).toEpochMilli();
        List<Event> events = new ArrayList<>(users * 6 + 1024);
        for (int u = 0; u < users; u++) {
            String user = userId(u);
            int roll = random.nextInt(10);
            int likes = roll < 4 ? 1 : roll < 8 ? 2 : 3;
            int[] liked = new int[likes];
            for (int i = 0; i < likes; i++) {
                int leaf;
                do {
                    leaf = sample(leafCdf, random);
                } while (contains(liked, i, leaf));
                liked[i] = leaf;
            }
            int n = 2 + random.nextInt(9);
            int sessions = 1 + (n - 1) / 4;
            List<String> touched = new ArrayList<>();
            Map<String, Integer> leafOfTouched = new HashMap<>();
            int e = 0;
            for (int s = 0; s < sessions; s++) {
                long at = startMillis + (long) (random.nextDouble() * spanSeconds) * 1000;
                int length = s == sessions - 1 ? n - e : n / sessions;
                String session = user + "-s" + s;
                for (int k = 0; k < length; k++, e++) {
                    String product;
                    String type;
                    int leaf;
                    if (!touched.isEmpty() && random.nextInt(100) < 30) {
                        product = touched.get(random.nextInt(touched.size()));
                        leaf = leafOfTouched.get(product);
                        int t = random.nextInt(100);
                        type = t < 35 ? "click" : t < 70 ? "pin" : t < 90 ? "add_to_cart" : "purchase";
                    } else {
                        int t = random.nextInt(100);
                        if (t < 3) {
                            do {
                                leaf = random.nextInt(leaves.size());
                            } while (contains(liked, likes, leaf));
                            product = productsOf.get(leaf).get(random.nextInt(productsOf.get(leaf).size()));
                            type = "hide";
                        } else {
                            double c = random.nextDouble() * (likes == 1 ? 1 : likes == 2 ? 1.6 : 1.96);
                            leaf = liked[c < 1 ? 0 : c < 1.6 ? 1 : 2];
                            product = productsOf.get(leaf).get(sample(productCdfs.get(leaf), random));
                            type = t < 58 ? "view" : t < 85 ? "click" : "pin";
                            if (!leafOfTouched.containsKey(product)) {
                                touched.add(product);
                                leafOfTouched.put(product, leaf);
                            }
                        }
                    }
                    String board = type.equals("pin") ? user + "-board-" + leaf : null;
                    events.add(new Event(at, user + "-e" + e, type, user, product, session, board));
                    at += (15 + random.nextInt(166)) * 1000L;
                }
            }
        }
        long latest = now.minusSeconds(60).toEpochMilli();
        for (Event ev : events) {
            if (ev.atMillis() > latest) {
                throw new IllegalStateException("generated a future event " + ev);
            }
        }
        events.sort(Comparator.comparingLong(Event::atMillis));
        return events;
    }

    private static boolean contains(int[] a, int n, int v) {
        for (int i = 0; i < n; i++) {
            if (a[i] == v) {
                return true;
            }
        }
        return false;
    }

    static double[] zipfCdf(int n, double s) {
        double[] cdf = new double[n];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += 1.0 / Math.pow(i + 1, s);
            cdf[i] = sum;
        }
        for (int i = 0; i < n; i++) {
            cdf[i] /= sum;
        }
        return cdf;
    }

    static int sample(double[] cdf, Random random) {
        int found = Arrays.binarySearch(cdf, random.nextDouble());
        return Math.min(cdf.length - 1, found >= 0 ? found : -found - 1);
    }

    static Map<String, Object> describe(List<Event> events, int users) {
        Map<String, Long> types = new TreeMap<>();
        Map<String, Long> perProduct = new HashMap<>();
        Set<String> sessions = new HashSet<>();
        for (Event e : events) {
            types.merge(e.type(), 1L, Long::sum);
            perProduct.merge(e.productId(), 1L, Long::sum);
            sessions.add(e.sessionId());
        }
        long[] counts = perProduct.values().stream().mapToLong(Long::longValue).sorted().toArray();
        long top100 = 0;
        for (int i = 0; i < Math.min(100, counts.length); i++) {
            top100 += counts[counts.length - 1 - i];
        }
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("eventsPerUser", String.format(Locale.ROOT, "%.2f", events.size() / (double) users));
        d.put("sessions", sessions.size());
        StringBuilder t = new StringBuilder();
        types.forEach((k, v) -> t.append(t.length() == 0 ? "" : ",").append(k).append(':')
                .append(String.format(Locale.ROOT, "%.1f%%", 100.0 * v / events.size())));
        d.put("types", t.toString());
        d.put("distinctProducts", counts.length);
        d.put("topProductEvents", counts.length == 0 ? 0 : counts[counts.length - 1]);
        d.put("top100ProductsShare", String.format(Locale.ROOT, "%.1f%%", 100.0 * top100 / events.size()));
        d.put("medianEventsPerEngagedProduct", counts.length == 0 ? 0 : counts[counts.length / 2]);
        d.put("firstEvent", events.isEmpty() ? "" : Instant.ofEpochMilli(events.get(0).atMillis()).toString());
        d.put("lastEvent", events.isEmpty() ? "" : Instant.ofEpochMilli(events.get(events.size() - 1).atMillis()).toString());
        return d;
    }

    static String body(List<Event> batch) {
        StringBuilder b = new StringBuilder(batch.size() * 200).append("{\"events\":[");
        for (int i = 0; i < batch.size(); i++) {
            Event e = batch.get(i);
            b.append(i == 0 ? "" : ",").append("{\"eventId\":\"").append(e.eventId()).append("\",\"type\":\"").append(e.type())
                    .append("\",\"userId\":\"").append(e.userId()).append("\",\"productId\":\"").append(e.productId())
                    .append("\",\"sessionId\":\"").append(e.sessionId()).append('"');
            if (e.boardId() != null) {
                b.append(",\"boardId\":\"").append(e.boardId()).append('"');
            }
            b.append(",\"occurredAt\":\"").append(Instant.ofEpochMilli(e.atMillis())).append("\"}");
        }
        return b.append("]}").toString();
    }

    // ---- the service's side --------------------------------------------------------------

    private static int catalogSize(Path dataDir) throws IOException {
        Path marker = dataDir.resolve(BenchFiles.MARKER);
        if (!Files.isRegularFile(marker)) {
            throw new IllegalStateException("no " + marker + ": build the catalog with LoadCatalogBuilder first");
        }
        return Files.readAllLines(marker).stream().filter(l -> l.startsWith("products=")).findFirst()
                .map(l -> Integer.parseInt(l.substring("products=".length()).trim()))
                .orElseThrow(() -> new IllegalStateException("no products= in " + marker));
    }

    private static void loopbackJdbc(String jdbc) {
        if (!jdbc.startsWith("jdbc:postgresql://127.0.0.1:") && !jdbc.startsWith("jdbc:postgresql://localhost:")) {
            throw new IllegalArgumentException("loopback PostgreSQL only, got " + jdbc);
        }
    }

    static long appliedOffsets(Connection db) throws SQLException {
        try (Statement s = db.createStatement();
             ResultSet r = s.executeQuery("SELECT coalesce(sum(next_offset), 0) FROM engagement_offsets WHERE topic = '"
                     + TOPIC + "'")) {
            r.next();
            return r.getLong(1);
        }
    }

    static Map<String, String> printStats(Connection db) throws SQLException {
        Map<String, String> stats = new LinkedHashMap<>();
        String[][] queries = {
                {"tasteProfiles", "SELECT count(*) FROM taste_profiles"},
                {"tasteProfilesWithVector", "SELECT count(*) FROM taste_profiles WHERE vector IS NOT NULL"},
                {"coEngagementLinks", "SELECT count(*) FROM co_engagement"},
                {"coEngagementFromProducts", "SELECT count(DISTINCT from_product) FROM co_engagement"},
                {"trendingProducts", "SELECT count(*) FROM trending_products"},
                {"seenEventIds", "SELECT count(*) FROM engagement_seen"},
                {"tasteProfilesBytes", "SELECT pg_total_relation_size('taste_profiles')"},
                {"coEngagementBytes", "SELECT pg_total_relation_size('co_engagement')"},
                {"trendingBytes", "SELECT pg_total_relation_size('trending_products') + pg_total_relation_size('trending_categories')"},
                {"seenBytes", "SELECT pg_total_relation_size('engagement_seen')"},
                {"databaseBytes", "SELECT pg_database_size(current_database())"},
                {"tasteProfilesLiveTuples", "SELECT n_live_tup FROM pg_stat_user_tables WHERE relname = 'taste_profiles'"},
                {"tasteProfilesDeadTuples", "SELECT n_dead_tup FROM pg_stat_user_tables WHERE relname = 'taste_profiles'"},
                {"tasteProfilesAutovacuums", "SELECT autovacuum_count FROM pg_stat_user_tables WHERE relname = 'taste_profiles'"},
                {"tasteProfilesAvgStateBytes", "SELECT round(avg(pg_column_size(state)) + avg(pg_column_size(vector))) FROM taste_profiles"},
        };
        try (Statement s = db.createStatement()) {
            for (String[] q : queries) {
                try (ResultSet r = s.executeQuery(q[1])) {
                    stats.put(q[0], r.next() ? String.valueOf(r.getObject(1)) : "?");
                }
            }
        }
        StringBuilder line = new StringBuilder("DB_STATS");
        stats.forEach((k, v) -> line.append(' ').append(k).append('=').append(v));
        System.out.println(line);
        System.out.printf(Locale.ROOT, "PostgreSQL: taste_profiles %,d rows, %.1f MiB; co_engagement %,d links, %.1f MiB;"
                        + " trending %.1f MiB; engagement_seen %.1f MiB; whole database %.1f MiB%n",
                Long.parseLong(stats.get("tasteProfiles")), mib(stats.get("tasteProfilesBytes")),
                Long.parseLong(stats.get("coEngagementLinks")), mib(stats.get("coEngagementBytes")),
                mib(stats.get("trendingBytes")), mib(stats.get("seenBytes")), mib(stats.get("databaseBytes")));
        return stats;
    }

    private static double mib(String bytes) {
        return Long.parseLong(bytes) / 1048576.0;
    }

    private static String abbreviate(String s) {
        return s.length() <= 300 ? s : s.substring(0, 300) + "…";
    }

    /**
     * Applied events (stored offsets) and the consumer lag (metrics, on the management port), polled
     * every 500 ms on its own thread.
     */
    private static final class Progress {
        final Connection db;
        final long baseline;
        final HttpClient http;
        final URI management;
        final long start = System.nanoTime();
        final List<long[]> samples = Collections.synchronizedList(new ArrayList<>()); // nanos, applied offsets
        volatile double maxLag = -1;
        volatile double lastLag = -1;
        volatile double appliedCounter = -1;
        volatile boolean running = true;
        Thread thread;

        Progress(Connection db, long baseline, HttpClient http, URI management) {
            this.db = db;
            this.baseline = baseline;
            this.http = http;
            this.management = management;
        }

        void start() {
            thread = new Thread(() -> {
                while (running) {
                    try {
                        long applied = appliedOffsets(db);
                        samples.add(new long[]{System.nanoTime() - start, applied});
                        String metrics = http.send(HttpRequest.newBuilder(management.resolve("/q/metrics"))
                                .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString()).body();
                        Matcher m = LAG.matcher(metrics);
                        double lag = 0;
                        boolean found = false;
                        while (m.find()) {
                            lag += Double.parseDouble(m.group(1));
                            found = true;
                        }
                        if (found) {
                            lastLag = lag;
                            maxLag = Math.max(maxLag, lag);
                        }
                        Matcher a = APPLIED.matcher(metrics);
                        double total = 0;
                        while (a.find()) {
                            total += Double.parseDouble(a.group(1));
                        }
                        appliedCounter = total;
                        Thread.sleep(500);
                    } catch (InterruptedException e) {
                        return;
                    } catch (Exception e) {
                        System.err.println("progress poll failed: " + e);
                        try {
                            Thread.sleep(500);
                        } catch (InterruptedException ie) {
                            return;
                        }
                    }
                }
            }, "progress");
            thread.setDaemon(true);
            thread.start();
        }

        void stop() throws InterruptedException, SQLException {
            running = false;
            thread.interrupt();
            thread.join(5_000);
            db.close();
        }

        String latestText() {
            long[] last = samples.isEmpty() ? new long[]{0, baseline} : samples.get(samples.size() - 1);
            return String.format(Locale.ROOT, "%,d applied, lag %s, events counter %.0f", last[1] - baseline,
                    lastLag < 0 ? "?" : String.format(Locale.ROOT, "%.0f", lastLag), appliedCounter);
        }

        String maxLagText() {
            return maxLag < 0 ? "? (no tastemaker_consumer_lag metric for the engagement group)"
                    : String.format(Locale.ROOT, "%,.0f", maxLag);
        }

        double secondsTo(long offsets) {
            synchronized (samples) {
                return samples.stream().filter(s -> s[1] >= offsets).findFirst().map(s -> s[0] / 1e9).orElse(Double.NaN);
            }
        }
    }
}

package io.tastemaker.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Attribution under load, against a running service whose shoppers have engagement (after
 * {@code run-load.sh} prepared the data directory): serves {@code lists} home feeds under the
 * placement {@code bench-feed}, then posts what a storefront sends back for them (one impression
 * event per list naming its first ten items, a click on 10 % of lists, a purchase on 2 %) through
 * {@code POST /v1/events} in batches of 500, and measures (1) events accepted per second and (2)
 * how fast the outcome consumer credits them (its stored offsets, in PostgreSQL), then checks that
 * every impression was credited exactly once ({@code placement_outcomes}).
 * Not a test: run by hand on a quiet machine.
 * <pre>
 * java -cp target/quarkus-app/...:target/test-classes io.tastemaker.bench.AttributionLoad &lt;dataDir&gt; [lists=20000]
 *      [baseUrl=http://127.0.0.1:8080] [jdbcUrl=jdbc:postgresql://127.0.0.1:15432/postgres]
 * </pre>
 */
public final class AttributionLoad {

    static final String PLACEMENT = "bench-feed";
    static final int SHOWN = 10;
    static final int BATCH = 500;
    private static final Pattern RECOMM_ID = Pattern.compile("\"recommId\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern PRODUCT_ID = Pattern.compile("\"productId\"\\s*:\\s*\"([^\"]+)\"");
    private static final Duration DRAIN_TIMEOUT = Duration.ofMinutes(20);

    private AttributionLoad() {
    }

    record Served(String userId, String recommId, List<String> productIds) {
    }

    public static void main(String[] args) throws Exception {
        Path dataDir = Path.of(args[0]);
        int lists = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
        URI base = URI.create(args.length > 2 ? args[2] : "http://127.0.0.1:8080");
        String jdbc = args.length > 3 ? args[3] : "jdbc:postgresql://127.0.0.1:15432/postgres";
        List<String> users = Files.readAllLines(dataDir.resolve(LoadEngagement.USERS_FILE));
        String storefront = BenchAccess.bearer(dataDir, BenchAccess.STOREFRONT);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();

        try (Connection db = DriverManager.getConnection(jdbc, "postgres", "")) {
            long servedBefore = count(db, "SELECT count(*) FROM served_lists WHERE placement = '" + PLACEMENT + "'");
            List<Served> served = serve(http, base, storefront, users, lists);
            long wanted = servedBefore + served.size();
            awaitAtLeast(db, "SELECT count(*) FROM served_lists WHERE placement = '" + PLACEMENT + "'", wanted,
                    "served lists recorded");
            System.out.printf(Locale.ROOT, "Served and recorded %,d lists under %s%n", served.size(), PLACEMENT);

            // start from a caught-up outcome consumer (on a data directory from before attribution, it first reads
            // the whole engagement log once)
            awaitAtLeast(db, "SELECT coalesce(sum(next_offset), 0) - (SELECT coalesce(sum(next_offset), 0)"
                    + " FROM engagement_offsets WHERE topic = '" + LoadEngagement.TOPIC + "') FROM outcome_offsets"
                    + " WHERE topic = '" + LoadEngagement.TOPIC + "'", 0, "outcome consumer caught up");
            long impressionsBefore = impressions(db);
            long baseline = outcomeOffsets(db);

            List<String> events = events(served, new Random(LoadEngagement.SEED + 17));
            long postStart = System.nanoTime();
            long accepted = 0;
            for (int from = 0; from < events.size(); from += BATCH) {
                String body = "{\"events\":[" + String.join(",", events.subList(from, Math.min(from + BATCH, events.size())))
                        + "]}";
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(base.resolve("/v1/events"))
                        .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json")
                        .header("Authorization", storefront).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() != 202) {
                    throw new IllegalStateException("POST /v1/events answered " + response.statusCode() + ": "
                            + response.body());
                }
                accepted += Math.min(BATCH, events.size() - from);
            }
            double postSeconds = (System.nanoTime() - postStart) / 1e9;
            System.out.printf(Locale.ROOT, "Posted %,d events (%,d impressions) in %.1f s: %,.0f events/s accepted%n",
                    accepted, served.size(), postSeconds, accepted / postSeconds);

            long deadline = System.nanoTime() + DRAIN_TIMEOUT.toNanos();
            while (outcomeOffsets(db) < baseline + accepted) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the outcome consumer did not catch up in " + DRAIN_TIMEOUT);
                }
                Thread.sleep(100);
            }
            double creditSeconds = (System.nanoTime() - postStart) / 1e9;
            long credited = impressions(db) - impressionsBefore;
            System.out.printf(Locale.ROOT, "Outcome consumer applied them %.1f s after the first POST (%,.0f events/s end to"
                            + " end, %.1f s after the last POST); impressions credited %,d of %,d expected%n",
                    creditSeconds, accepted / creditSeconds, creditSeconds - postSeconds, credited,
                    (long) served.size() * SHOWN);
            System.out.printf(Locale.ROOT, "ATTRIBUTION_RESULT lists=%d events=%d post_events_per_s=%.0f"
                            + " credit_events_per_s=%.0f impressions_credited=%d expected=%d%n", served.size(), accepted,
                    accepted / postSeconds, accepted / creditSeconds, credited, (long) served.size() * SHOWN);
        }
    }

    /** Home feeds for random shoppers, four at a time. */
    private static List<Served> serve(HttpClient http, URI base, String key, List<String> users, int lists)
            throws Exception {
        Random random = new Random(LoadEngagement.SEED + 16);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Served>> answers = new ArrayList<>(lists);
            for (int i = 0; i < lists; i++) {
                String user = users.get(random.nextInt(users.size()));
                answers.add(pool.submit(() -> {
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve("/v1/users/" + user
                                    + "/feed?limit=20&placement=" + PLACEMENT)).header("Authorization", key).GET().build(),
                            HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() != 200) {
                        throw new IllegalStateException("feed answered " + r.statusCode() + ": " + r.body());
                    }
                    Matcher id = RECOMM_ID.matcher(r.body());
                    if (!id.find()) {
                        throw new IllegalStateException("a feed without a recommId: " + r.body());
                    }
                    List<String> products = new ArrayList<>();
                    Matcher p = PRODUCT_ID.matcher(r.body());
                    while (p.find()) {
                        products.add(p.group(1));
                    }
                    return new Served(user, id.group(1), products);
                }));
            }
            List<Served> served = new ArrayList<>(lists);
            for (Future<Served> f : answers) {
                Served s = f.get();
                if (s.productIds().size() >= SHOWN) {
                    served.add(s);
                }
            }
            return served;
        } finally {
            pool.shutdown();
        }
    }

    /** What a storefront sends back: an impression per list, a click on 10 %, a purchase on 2 %. */
    static List<String> events(List<Served> served, Random random) {
        List<String> events = new ArrayList<>();
        String now = Instant.now().toString();
        for (Served s : served) {
            List<String> seen = s.productIds().subList(0, SHOWN);
            events.add("{\"eventId\":\"" + UUID.randomUUID() + "\",\"type\":\"impression\",\"userId\":\"" + s.userId()
                    + "\",\"recommId\":\"" + s.recommId() + "\",\"productIds\":[\"" + String.join("\",\"", seen)
                    + "\"],\"occurredAt\":\"" + now + "\"}");
            double dice = random.nextDouble();
            if (dice < 0.10) {
                int position = 1 + random.nextInt(SHOWN);
                String product = seen.get(position - 1);
                events.add(outcome("click", s, product, position, now, ""));
                if (dice < 0.02) {
                    events.add(outcome("purchase", s, product, position, now, ",\"value\":42.5,\"currency\":\"USD\""));
                }
            }
        }
        return events;
    }

    private static String outcome(String type, Served s, String product, int position, String at, String extra) {
        return "{\"eventId\":\"" + UUID.randomUUID() + "\",\"type\":\"" + type + "\",\"userId\":\"" + s.userId()
                + "\",\"productId\":\"" + product + "\",\"recommId\":\"" + s.recommId() + "\",\"position\":" + position
                + extra + ",\"occurredAt\":\"" + at + "\"}";
    }

    private static long outcomeOffsets(Connection db) throws SQLException {
        return count(db, "SELECT coalesce(sum(next_offset), 0) FROM outcome_offsets WHERE topic = '"
                + LoadEngagement.TOPIC + "'");
    }

    private static long impressions(Connection db) throws SQLException {
        return count(db, "SELECT coalesce(sum(impressions), 0) FROM placement_outcomes WHERE placement = '" + PLACEMENT
                + "' AND rule_id = ''");
    }

    private static void awaitAtLeast(Connection db, String sql, long wanted, String what) throws Exception {
        long deadline = System.nanoTime() + DRAIN_TIMEOUT.toNanos();
        long now;
        while ((now = count(db, sql)) < wanted) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(what + ": " + now + " of " + wanted + " after " + DRAIN_TIMEOUT);
            }
            Thread.sleep(200);
        }
    }

    private static long count(Connection db, String sql) throws SQLException {
        try (Statement s = db.createStatement(); ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }
}

package io.tastemaker.packaged;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.tastemaker.models.training.ResidualAdapter;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Several processes, one system: two {@code api} processes and one {@code ingest} process of the
 * packaged jar, in production mode, sharing the PostgreSQL and Kafka of the jar's {@code services}
 * command and a Qdrant endpoint ({@link SharedServices}), all started at once on a fresh database
 * as an orchestrator would. What one API process is told, the other serves: products, a
 * merchandising rule, a key's revocation, a model promotion. Engagement posted through both while
 * the ingest process is killed with {@code kill -9} and another one started counts exactly once.
 *
 * <p>How long each change took to reach the other process is logged ({@code PROPAGATION ...}),
 * never asserted. About 4 to 6 minutes on two cores, most of it three JVMs starting and, after the
 * kill, the dead consumer's group session expiring. Ports: free ones, or nine from
 * {@code -Dtastemaker.it.port-base=N} (PostgreSQL, Kafka, its controller, then HTTP and management
 * of api-1, api-2 and ingest).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MultiProcessIT {

    private static final Path DEPLOYMENT = Path.of("target", "packaged-it", "multi-process").toAbsolutePath();
    private static final Duration START = Duration.ofMinutes(5);
    /** Bounds on waits for a change to propagate: generous, as the machine is shared; the times are logged. */
    private static final Duration PROPAGATION = Duration.ofSeconds(60);
    private static final String BASE_MODEL = "bge-small-en-v1.5-q";
    private static final String ENGAGEMENT_TOPIC = "tastemaker.engagement.v1";

    /** id, title, brand, category: a tiny catalog, spread over both API processes. */
    private static final List<String[]> CATALOG = List.of(
            new String[] {"mp-lamp-1", "Arc floor lamp", "Lumo", "Lighting"},
            new String[] {"mp-lamp-2", "Brass reading lamp", "Lumo", "Lighting"},
            new String[] {"mp-lamp-3", "Paper pendant lamp", "Nordlys", "Lighting"},
            new String[] {"mp-rug-1", "Wool runner rug", "Loom", "Rugs"},
            new String[] {"mp-rug-2", "Jute round rug", "Loom", "Rugs"},
            new String[] {"mp-mug-1", "Stoneware coffee mug", "Kiln", "Kitchen"},
            new String[] {"mp-mug-2", "Enamel camping mug", "Kiln", "Kitchen"},
            new String[] {"mp-chair-1", "Oak reading chair", "Form", "Furniture"});

    private SharedServices shared;
    private PackagedProcess api1;
    private PackagedProcess api2;
    private PackagedProcess ingest;
    private int[] ports;
    private String operatorKey;

    @BeforeAll
    void startDeployment() throws Exception {
        assertThat(PackagedRun.JAR).as("the packaged service (failsafe runs after package)").exists();
        ports = ports();
        shared = SharedServices.start(DEPLOYMENT, ports[0], ports[1], ports[2]);
        operatorKey = generateKey();
        Path keyFile = DEPLOYMENT.resolve("operator-key");
        Files.writeString(keyFile, operatorKey + "\n");

        Map<String, String> apiEnv = new HashMap<>(environment());
        apiEnv.put("TASTEMAKER_BOOTSTRAP_OPERATOR_KEY_FILE", keyFile.toString());
        long began = System.nanoTime();
        // all three at once on the empty database and broker: migrations, topics and the registry race as in a rollout
        api1 = PackagedProcess.start(DEPLOYMENT, "api-1", "api", ports[3], ports[4], apiEnv);
        api2 = PackagedProcess.start(DEPLOYMENT, "api-2", "api", ports[5], ports[6], apiEnv);
        ingest = PackagedProcess.start(DEPLOYMENT, "ingest", "ingest", ports[7], ports[8], environment());
        for (PackagedProcess p : List.of(api1, api2, ingest)) {
            p.awaitReady(START);
        }
        report("PROPAGATION start: api-1, api-2 and ingest ready %d ms after they were launched together",
                millisSince(began));
    }

    @AfterAll
    void stopDeployment() {
        for (PackagedProcess p : new PackagedProcess[] {ingest, api2, api1}) {
            if (p != null) {
                p.close();
            }
        }
        if (shared != null) {
            shared.close();
        }
    }

    @Test
    @Order(1)
    void products_written_through_either_api_process_are_searchable_on_both() {
        long began = System.nanoTime();
        for (int i = 0; i < CATALOG.size(); i++) {
            put(i % 2 == 0 ? api1 : api2, CATALOG.get(i));
        }
        eventually(Duration.ofMinutes(3), () -> CATALOG.stream().allMatch(p ->
                searchIds(api1, p[1]).contains(p[0]) && searchIds(api2, p[1]).contains(p[0])));
        report("PROPAGATION catalog: %d products written through both api processes searchable on both after %d ms"
                + " (catalog topic -> ingest: PostgreSQL and embedding -> shared vector store)", CATALOG.size(), millisSince(began));
    }

    @Test
    @Order(2)
    void a_rule_created_on_one_api_process_changes_the_list_the_other_serves() {
        assertThat(searchIds(api2, "Brass reading lamp")).contains("mp-lamp-2");

        operator(api1).contentType(ContentType.JSON).header("X-Actor", "maya")
                .body("{\"name\":\"recalled lamp\",\"action\":\"block\",\"match\":{\"type\":\"product\",\"value\":\"mp-lamp-2\"}}")
                .post("/v1/merchandising/rules").then().statusCode(201);
        long created = System.nanoTime();
        assertThat(searchIds(api1, "Brass reading lamp")).as("the writing process applies its own rule at once")
                .doesNotContain("mp-lamp-2");

        eventually(PROPAGATION, () -> !searchIds(api2, "Brass reading lamp").contains("mp-lamp-2"));
        report("PROPAGATION rule: a block rule created on api-1 applied by api-2 after %d ms", millisSince(created));
    }

    @Test
    @Order(3)
    void a_key_revoked_on_one_api_process_is_refused_by_the_other() {
        JsonPath key = operator(api1).contentType(ContentType.JSON)
                .body("{\"name\":\"shop frontend\",\"roles\":[\"storefront\"]}")
                .post("/v1/admin/keys").then().statusCode(201).extract().jsonPath();
        String secret = key.getString("secret");
        long created = System.nanoTime();
        eventually(PROPAGATION, () -> storefrontSearch(api2, secret) == 200);
        report("PROPAGATION key-create: a key created on api-1 accepted by api-2 after %d ms", millisSince(created));

        operator(api1).delete("/v1/admin/keys/" + key.getLong("id")).then().statusCode(200);
        long revoked = System.nanoTime();
        assertThat(storefrontSearch(api1, secret)).as("the revoking process refuses it at once").isEqualTo(401);

        eventually(PROPAGATION, () -> storefrontSearch(api2, secret) == 401);
        report("PROPAGATION key-revoke: a key revoked on api-1 refused by api-2 after %d ms", millisSince(revoked));
    }

    @Test
    @Order(4)
    void a_promotion_on_one_api_process_reaches_the_other_and_the_ingest_process() throws Exception {
        String version = "bge-identity";
        // the cheapest second version: an identity adapter over the base model (same vectors, its own collection)
        Path models = api1.dataDir().resolve("models");
        Files.createDirectories(models);
        new ResidualAdapter(BASE_MODEL, 384, new float[384 * 384], Map.of("purpose", "multi-process test"))
                .save(models.resolve("identity.adapter"));
        operator(api1).contentType(ContentType.JSON)
                .body("{\"version\":\"" + version + "\",\"kind\":\"adapter\",\"base\":\"" + BASE_MODEL
                        + "\",\"adapterPath\":\"identity.adapter\"}")
                .post("/v1/models").then().statusCode(201);
        operator(api1).post("/v1/models/" + version + "/index").then().statusCode(202);
        eventually(Duration.ofMinutes(3), () -> "ready".equals(operator(api2).get("/v1/models/" + version)
                .then().extract().path("state")));
        assertThat(modelVersion(api2)).isEqualTo(BASE_MODEL);

        operator(api1).header("X-Actor", "ana").post("/v1/models/" + version + "/promote?force=true")
                .then().statusCode(200);
        long promoted = System.nanoTime();
        assertThat(modelVersion(api1)).as("the promoting process serves it at once").isEqualTo(version);

        eventually(PROPAGATION, () -> version.equals(modelVersion(api2)));
        report("PROPAGATION promotion: %s promoted on api-1 served by api-2 after %d ms", version, millisSince(promoted));

        // the ingest process follows too: a product written now is embedded for the promoted version's collection
        put(api2, new String[] {"mp-vase-1", "Ceramic bud vase", "Kiln", "Decor"});
        long written = System.nanoTime();
        eventually(PROPAGATION, () -> {
            Response search = search(api1, "Ceramic bud vase");
            return version.equals(search.path("modelVersion"))
                    && search.jsonPath().getList("items.productId").contains("mp-vase-1");
        });
        report("PROPAGATION promotion-ingest: a product written after the promotion searchable in %s after %d ms",
                version, millisSince(written));
        // the product may be embedded for the new collection before the ingest process logs its switch
        await().atMost(PROPAGATION).pollInterval(Duration.ofMillis(50))
                .until(() -> Files.readString(ingest.log()).contains("Model " + version + " now serves"));
    }

    @Test
    @Order(5)
    void events_through_both_api_processes_count_once_when_the_ingest_process_is_killed_mid_batch() throws Exception {
        List<String> users = IntStream.range(0, 12).mapToObj(i -> "mp-u-" + i).toList();
        List<String> products = CATALOG.stream().map(p -> p[0]).toList();
        EventStream stream = new EventStream(users, products, 160, 25);
        CompletableFuture<Void> posting = CompletableFuture.runAsync(stream::run);

        // kill while the ingest process is applying: some applied, more on the broker than applied
        await("records applied and more waiting").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(20))
                .until(() -> {
                    long applied = appliedOffsets();
                    return applied > 0 && endOffsets() > applied;
                });
        ingest.kill();
        long killed = System.nanoTime();
        long appliedAtKill = appliedOffsets();
        report("Killed the ingest process (kill -9) with %d records applied and %d on the broker", appliedAtKill, endOffsets());

        ingest = PackagedProcess.start(DEPLOYMENT, "ingest", "ingest", ports[7], ports[8], environment());
        long restarted = System.nanoTime();
        ingest.awaitReady(START);
        await("the new ingest process applying").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(200))
                .until(() -> appliedOffsets() > appliedAtKill);
        long resumedMs = millisSince(restarted);
        posting.get(5, TimeUnit.MINUTES);

        await("every record on the broker applied").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(200))
                .until(() -> appliedOffsets() == endOffsets());
        Map<String, Long> stored = storedEventsPerUser();
        long reflected = stored.values().stream().mapToLong(Long::longValue).sum();
        report("FAULT_MATRIX fault=ingest_killed sent=%d ok2xx=%d err4xx=%d err5xx=%d events_sent=%d"
                        + " events_reflected=%d recovery_ms=%d", stream.requests.get(), stream.accepted.get(),
                stream.refused4xx.get(), stream.refused5xx.get(), stream.acceptedEvents(), reflected, resumedMs);
        report("PROPAGATION ingest-restart: applying again %d ms after the new ingest process was launched"
                + " (%d ms after the kill)", resumedMs, millisSince(killed));

        assertThat(stream.refused4xx.get() + stream.refused5xx.get()).as("events refused by the api processes").isZero();
        assertThat(stored).as("events per shopper in PostgreSQL: each accepted event exactly once")
                .isEqualTo(stream.acceptedPerUser());
        // and as the service reads them back, through the other api process
        eventually(PROPAGATION, () -> users.stream().allMatch(u ->
                stream.acceptedPerUser().get(u) == operator(api2).get("/v1/users/" + u + "/profile")
                        .then().statusCode(200).extract().jsonPath().getLong("events")));
    }

    /** Posts events for {@code users} through both api processes in turn, counting what each answer accepted. */
    private final class EventStream implements Runnable {
        final List<String> users;
        final List<String> products;
        final int requestCount;
        final int perRequest;
        final AtomicInteger requests = new AtomicInteger();
        final AtomicInteger accepted = new AtomicInteger();
        final AtomicInteger refused4xx = new AtomicInteger();
        final AtomicInteger refused5xx = new AtomicInteger();
        final Map<String, AtomicLong> perUser = new ConcurrentHashMap<>();

        EventStream(List<String> users, List<String> products, int requestCount, int perRequest) {
            this.users = users;
            this.products = products;
            this.requestCount = requestCount;
            this.perRequest = perRequest;
            users.forEach(u -> perUser.put(u, new AtomicLong()));
        }

        @Override
        public void run() {
            for (int r = 0; r < requestCount; r++) {
                List<String> events = new ArrayList<>();
                List<String> eventUsers = new ArrayList<>();
                for (int e = 0; e < perRequest; e++) {
                    int n = r * perRequest + e;
                    String user = users.get(n % users.size());
                    eventUsers.add(user);
                    events.add("{\"eventId\":\"mp-e-" + n + "\",\"type\":\"" + (n % 3 == 0 ? "click" : "view")
                            + "\",\"userId\":\"" + user + "\",\"productId\":\"" + products.get(n % products.size())
                            + "\",\"occurredAt\":\"" + Instant.now() + "\"}");
                }
                int status = operator(r % 2 == 0 ? api1 : api2).contentType(ContentType.JSON)
                        .body("{\"events\":[" + String.join(",", events) + "]}")
                        .post("/v1/events").then().extract().statusCode();
                requests.incrementAndGet();
                if (status == 202) {
                    accepted.incrementAndGet();
                    eventUsers.forEach(u -> perUser.get(u).incrementAndGet());
                } else if (status >= 500) {
                    refused5xx.incrementAndGet();
                } else {
                    refused4xx.incrementAndGet();
                }
                try {
                    Thread.sleep(100); // a steady stream, so the kill and the restart both fall inside it
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }

        long acceptedEvents() {
            return (long) accepted.get() * perRequest;
        }

        Map<String, Long> acceptedPerUser() {
            return perUser.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().get()));
        }
    }

    // ---- the shared database and broker, read directly ------------------------------------------

    /** Records applied by the engagement consumers: the next offsets stored with the state they produced. */
    private long appliedOffsets() throws SQLException {
        try (Connection db = shared.database(); Statement sql = db.createStatement();
             ResultSet rows = sql.executeQuery("SELECT coalesce(sum(next_offset), 0) FROM engagement_offsets"
                     + " WHERE topic = '" + ENGAGEMENT_TOPIC + "'")) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private long endOffsets() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, shared.bootstrapServers()))) {
            var partitions = admin.describeTopics(List.of(ENGAGEMENT_TOPIC)).allTopicNames().get().get(ENGAGEMENT_TOPIC)
                    .partitions().stream()
                    .collect(Collectors.toMap(p -> new TopicPartition(ENGAGEMENT_TOPIC, p.partition()), p -> OffsetSpec.latest()));
            return admin.listOffsets(partitions).all().get().values().stream().mapToLong(o -> o.offset()).sum();
        }
    }

    private Map<String, Long> storedEventsPerUser() throws SQLException {
        Map<String, Long> events = new HashMap<>();
        try (Connection db = shared.database(); Statement sql = db.createStatement();
             ResultSet rows = sql.executeQuery("SELECT user_id, events FROM taste_profiles WHERE user_id LIKE 'mp-u-%'")) {
            while (rows.next()) {
                events.put(rows.getString(1), rows.getLong(2));
            }
        }
        return events;
    }

    // ---- HTTP ---------------------------------------------------------------------------------

    private RequestSpecification operator(PackagedProcess api) {
        return given().port(api.httpPort()).header("Authorization", "Bearer " + operatorKey);
    }

    private void put(PackagedProcess api, String[] product) {
        operator(api).contentType(ContentType.JSON)
                .body("{\"title\":\"" + product[1] + "\",\"brand\":\"" + product[2] + "\",\"categoryPath\":[\""
                        + product[3] + "\"],\"price\":30,\"currency\":\"EUR\"}")
                .put("/v1/catalog/products/" + product[0]).then().statusCode(202);
    }

    private Response search(PackagedProcess api, String words) {
        return operator(api).queryParam("q", words).queryParam("limit", 20).get("/v1/search");
    }

    private List<String> searchIds(PackagedProcess api, String words) {
        Response search = search(api, words);
        return search.statusCode() == 200 ? search.jsonPath().getList("items.productId") : List.of();
    }

    private String modelVersion(PackagedProcess api) {
        return search(api, "lamp").then().statusCode(200).extract().path("modelVersion");
    }

    private static int storefrontSearch(PackagedProcess api, String key) {
        return given().port(api.httpPort()).header("Authorization", "Bearer " + key)
                .queryParam("q", "lamp").get("/v1/search").statusCode();
    }

    // ---- set-up -------------------------------------------------------------------------------

    /** What every Tastemaker process of this deployment shares: the services, small topics, no demo. */
    private Map<String, String> environment() {
        Map<String, String> env = new HashMap<>(shared.environment());
        env.put("TASTEMAKER_STREAMS_CATALOG_PARTITIONS", "3");
        env.put("TASTEMAKER_STREAMS_ENGAGEMENT_PARTITIONS", "3");
        return env;
    }

    /** A new operator secret, made as docs/security.md says: {@code keys generate}. */
    private static String generateKey() throws Exception {
        Process keys = new ProcessBuilder(PackagedProcess.java(), "-jar", PackagedRun.JAR.toString(), "keys", "generate")
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String secret = new String(keys.getInputStream().readAllBytes()).strip();
        assertThat(keys.waitFor(1, TimeUnit.MINUTES)).isTrue();
        assertThat(keys.exitValue()).isZero();
        return secret;
    }

    private static int[] ports() {
        String base = System.getProperty("tastemaker.it.port-base");
        return base == null ? PackagedRun.freePorts(9) : IntStream.range(0, 9).map(i -> Integer.parseInt(base) + i).toArray();
    }

    private static void eventually(Duration bound, BooleanSupplier condition) {
        await().atMost(bound).pollInterval(Duration.ofMillis(50)).until(condition::getAsBoolean);
    }

    /** One line on the test's output, where the lead collects the figures (never asserted). */
    private static void report(String format, Object... args) {
        System.out.println(String.format(format, args));
    }

    private static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }
}

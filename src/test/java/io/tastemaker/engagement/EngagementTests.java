package io.tastemaker.engagement;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.tastemaker.streams.ConsumerLoop;
import io.tastemaker.streams.KafkaClients;
import io.tastemaker.streams.Topics;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

/**
 * Engagement end to end on a real broker, a real PostgreSQL and the real model: events posted or
 * written to the topic change taste profiles, feeds, co-engagement and trending; retries count
 * once; a consumer killed mid-batch loses and double-counts nothing; a rebuild from the topic
 * reproduces the live state. Products carry this class's own brand, users a fresh id per test.
 */
@QuarkusTest
class EngagementTests {

    private static final Duration EVENTUALLY = Duration.ofSeconds(60);
    private static final String TASTE_ONLY = "profile:1,similar:0,coEngagement:0,trending:0";
    private static final String BRAND = "Eng" + UUID.randomUUID().toString().substring(0, 8);
    private static final Map<String, List<String>> CATALOG = Map.of(
            "Home/Lighting", List.of("Brass table lamp with a linen shade", "Ceramic bedside lamp with warm light",
                    "Arc floor lamp for a reading corner", "Rattan pendant ceiling light"),
            "Sports/Running", List.of("Lightweight trail running shoes", "Cushioned road running shoes",
                    "Breathable running socks, three pairs", "Hydration vest for long trail runs"),
            "Beauty/Skincare", List.of("Hyaluronic acid face serum", "Vitamin C brightening face serum",
                    "Gentle foaming face cleanser", "Mineral sunscreen SPF 50 for the face"));
    private static boolean catalogLoaded;

    @Inject
    KafkaClients kafka;

    @Inject
    Topics topics;

    @Inject
    EngagementConsumer consumer;

    @Inject
    EngagementStore store;

    @Inject
    Pool pool;

    private final String user = "u-" + UUID.randomUUID().toString().substring(0, 8);

    @BeforeEach
    void loadCatalogOnce() {
        if (catalogLoaded) {
            return;
        }
        CATALOG.forEach((path, titles) -> {
            for (int i = 0; i < titles.size(); i++) {
                String categories = "\"" + String.join("\",\"", categoryPath(path)) + "\"";
                given().contentType(ContentType.JSON).body("{\"title\":\"" + titles.get(i) + "\",\"brand\":\"" + BRAND
                                + "\",\"categoryPath\":[" + categories + "],\"price\":" + (20 + i) + ",\"currency\":\"USD\"}")
                        .put("/v1/catalog/products/" + id(path, i)).then().statusCode(202);
            }
        });
        await().atMost(EVENTUALLY).untilAsserted(() -> given().queryParam("q", "lamp").queryParam("brand", BRAND)
                .queryParam("limit", 100).get("/v1/search").then().body("items.size()", equalTo(12)));
        catalogLoaded = true;
    }

    @Test
    void an_event_changes_the_profile_and_the_feed() {
        given().get("/v1/users/" + user + "/profile").then().statusCode(404);

        post(event("pin", lamp(0)), event("pin", lamp(1)), event("click", lamp(2)));

        await().atMost(EVENTUALLY).untilAsserted(() -> given().get("/v1/users/" + user + "/profile").then()
                .statusCode(200)
                .body("events", equalTo(3))
                .body("topCategories[0].name", equalTo(String.join(" > ", categoryPath("Home/Lighting"))))
                .body("topBrands[0].name", equalTo(BRAND))
                .body("recentItems.productId", equalTo(List.of(lamp(2), lamp(1), lamp(0))))
                .body("recentItems[0].title", equalTo("Arc floor lamp for a reading corner"))
                .body("hasTasteVector", equalTo(true)));
        // the taste alone (other tests' shoppers feed co-engagement and trending): the one lamp not
        // engaged with yet comes first, since what was just engaged with is not shown again
        feed(Map.of("limit", "1", "weights", TASTE_ONLY)).body("items[0].productId", equalTo(lamp(3)))
                .body("items[0].reasons[0].detail", equalTo("close to your taste in Lighting"));

        // a stronger, newer taste takes over
        post(event("purchase", shoe(0)), event("add_to_cart", shoe(1)), event("pin", shoe(3)));
        await().atMost(EVENTUALLY).untilAsserted(() -> feed(Map.of("limit", "1", "weights", TASTE_ONLY))
                .body("items[0].productId", equalTo(shoe(2))));
        feed(Map.of("limit", "100")).body("items.productId", not(hasItem(shoe(0)))); // bought: not shown again
    }

    @Test
    void a_hidden_product_leaves_the_feed_and_pushes_the_taste_away() {
        post(event("pin", serum(0)), event("pin", serum(1)));
        await().atMost(EVENTUALLY).untilAsserted(() -> feed(Map.of("limit", "4"))
                .body("items.productId", hasItem(serum(2))));

        post(event("hide", serum(2)));

        await().atMost(EVENTUALLY).untilAsserted(() -> given().get("/v1/users/" + user + "/profile").then()
                .body("hiddenCount", equalTo(1)));
        feed(Map.of("limit", "100")).body("items.productId", not(hasItem(serum(2))));
    }

    @Test
    void a_retried_event_counts_once() {
        String pin = event("e-" + user, "pin", user, lamp(3), Instant.now());
        post(pin);
        post(pin, pin); // a retry of the whole request, and a duplicate within one
        post(event("click", lamp(3))); // processed after the retries: a marker that they were seen

        await().atMost(EVENTUALLY).untilAsserted(() -> given().get("/v1/users/" + user + "/profile").then()
                .body("events", equalTo(2)));
    }

    @Test
    void invalid_events_are_named_and_the_valid_ones_of_the_batch_are_kept() {
        String future = Instant.now().plus(1, ChronoUnit.DAYS).toString();
        given().contentType(ContentType.JSON)
                .body("{\"events\":[" + String.join(",", event("pin", lamp(0)),
                        "{\"eventId\":\"x1\",\"type\":\"like\",\"userId\":\"" + user + "\",\"productId\":\"p\",\"occurredAt\":\"" + Instant.now() + "\"}",
                        "{\"eventId\":\"x2\",\"type\":\"pin\",\"userId\":\"" + user + "\",\"productId\":\"p\",\"occurredAt\":\"" + future + "\"}",
                        "{\"eventId\":\"x3\",\"type\":\"pin\",\"productId\":\"p\",\"occurredAt\":\"yesterday\"}") + "]}")
                .post("/v1/events")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("accepted", equalTo(1))
                .body("rejected", equalTo(3))
                .body("errors.field", containsInAnyOrder("events[1].type", "events[2].occurredAt", "events[3].userId",
                        "events[3].occurredAt"))
                .body("errors.find { it.field == 'events[1].type' }.message", startsWith("must be one of pin, click"));

        await().atMost(EVENTUALLY).untilAsserted(() -> given().get("/v1/users/" + user + "/profile").then()
                .body("events", equalTo(1)));

        given().contentType(ContentType.JSON).body("{\"events\":[]}").post("/v1/events").then().statusCode(400)
                .body("errors[0].field", equalTo("events"));
        given().contentType(ContentType.JSON).body("{}").post("/v1/events").then().statusCode(400)
                .body("errors[0].field", equalTo("events"));
    }

    @Test
    void a_new_user_gets_trending_products_then_new_arrivals() {
        // products of their own brand, so that other tests' engagement does not change their ranks
        String brand = "Trend" + user;
        for (String name : List.of("rug", "vase", "mirror")) {
            given().contentType(ContentType.JSON).body("{\"title\":\"Handwoven " + name + "\",\"brand\":\"" + brand
                            + "\",\"categoryPath\":[\"Home\",\"Decor\"],\"price\":40,\"currency\":\"USD\"}")
                    .put("/v1/catalog/products/" + name + "-" + user).then().statusCode(202);
        }
        // engagement with a product not embedded yet cannot shape a taste: let the catalog land first
        await().atMost(EVENTUALLY).untilAsserted(() -> given().queryParam("q", "handwoven").queryParam("brand", brand)
                .get("/v1/search").then().body("items.size()", equalTo(3)));
        String fan = "fan-" + user;
        post(event("e1-" + user, "purchase", fan, "vase-" + user, Instant.now()),
                event("e2-" + user, "pin", fan, "vase-" + user, Instant.now()),
                event("e3-" + user, "pin", fan, "rug-" + user, Instant.now()));

        await().atMost(EVENTUALLY).untilAsserted(() -> given().queryParam("brand", brand)
                .get("/v1/users/" + user + "/feed").then().statusCode(200)
                .body("items.productId", equalTo(List.of("vase-" + user, "rug-" + user, "mirror-" + user)))
                .body("items[0].reasons[0].source", equalTo("trending"))
                .body("items[0].reasons[0].detail", equalTo("trending in Decor"))
                // what nobody engaged with yet follows as a new arrival
                .body("items[2].reasons.source", equalTo(List.of("fresh")))
                .body("items[2].reasons[0].detail", equalTo("new in Decor")));
    }

    @Test
    void events_written_to_the_topic_directly_are_applied_and_malformed_ones_dead_lettered() throws Exception {
        var producer = kafka.producer();
        producer.send(new ProducerRecord<>(topics.engagement(), user, "{\"schema\":1,\"eventId\":\"k-" + user
                + "\",\"type\":\"pin\",\"userId\":\"" + user + "\",\"productId\":\"" + shoe(2) + "\",\"occurredAt\":\""
                + Instant.now() + "\"}")).get();
        producer.send(new ProducerRecord<>(topics.engagement(), user, "not json")).get();
        producer.send(new ProducerRecord<>(topics.engagement(), "someone-else", "{\"schema\":1,\"eventId\":\"k2-" + user
                + "\",\"type\":\"pin\",\"userId\":\"" + user + "\",\"productId\":\"" + shoe(2) + "\",\"occurredAt\":\""
                + Instant.now() + "\"}")).get();

        await().atMost(EVENTUALLY).untilAsserted(() -> given().get("/v1/users/" + user + "/profile").then()
                .statusCode(200).body("events", equalTo(1)));
        Map<String, String> reasons = deadLetters(record -> (record.key() != null && record.key().equals(user))
                || (record.value() != null && record.value().contains("k2-" + user)), 2);
        assertThat(reasons.values()).anySatisfy(r -> assertThat(r).contains("value: is not JSON"));
        assertThat(reasons.values()).anySatisfy(r -> assertThat(r).contains("key: must equal the userId"));
    }

    @Test
    void a_consumer_killed_mid_batch_loses_nothing_and_counts_nothing_twice() {
        AtomicInteger commits = new AtomicInteger();
        consumer.beforeCommit(() -> {
            if (commits.getAndIncrement() == 0) {
                throw new SimulatedCrash(); // the process dies after writing, before committing
            }
        });
        List<String> events = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            events.add(event(i % 2 == 0 ? "pin" : "click", shoe(i % 4)));
        }
        post(events.toArray(String[]::new));
        await().atMost(EVENTUALLY).until(() -> consumer.loops().stream().anyMatch(l -> !l.healthy()));

        consumer.stop();
        consumer.start();
        post(event("view", shoe(0))); // a marker: applied after everything before it

        await().atMost(EVENTUALLY).untilAsserted(() -> given().get("/v1/users/" + user + "/profile").then()
                .statusCode(200).body("events", equalTo(21)));
        assertThat(commits.get()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void a_batch_delivered_again_after_it_was_applied_changes_nothing() throws Exception {
        post(event("pin", lamp(1)), event("pin", serum(1)), event("click", shoe(1)));
        await().atMost(EVENTUALLY).untilAsserted(() -> given().get("/v1/users/" + user + "/profile").then()
                .statusCode(200).body("events", equalTo(3)));
        Map<String, String> before = snapshot().profiles();

        // a zombie consumer (say, one that was paused past its session) processes the whole log again
        EngagementProcessor zombie = consumer.newProcessor();
        try (KafkaConsumer<String, String> reader = kafka.consumer("test-zombie-" + user, 5000)) {
            List<TopicPartition> partitions = reader.partitionsFor(topics.engagement()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            reader.assign(partitions);
            reader.seekToBeginning(partitions);
            zombie.resumeOffsets(partitions);
            Map<TopicPartition, Long> ends = reader.endOffsets(partitions);
            List<ConsumerRecord<String, String>> all = new ArrayList<>();
            while (partitions.stream().anyMatch(p -> reader.position(p) < ends.get(p))) {
                reader.poll(Duration.ofMillis(500)).forEach(all::add);
            }
            zombie.handle(all);
        }

        assertThat(snapshot().profiles()).isEqualTo(before);
    }

    @Test
    void a_rebuild_from_the_topic_reproduces_the_live_state() {
        Instant start = Instant.now().minus(3, ChronoUnit.DAYS);
        List<String> events = new ArrayList<>();
        String[] users = {user + "-a", user + "-b", user + "-c"};
        for (int i = 0; i < 60; i++) {
            String type = List.of("pin", "click", "view", "add_to_cart", "purchase", "hide").get(i % 6);
            String product = List.of(lamp(i % 4), shoe((i / 2) % 4), serum((i / 3) % 4)).get(i % 3);
            events.add(event("r" + i + "-" + user, type, users[i % 3], product, start.plus(i * 37, ChronoUnit.MINUTES)));
        }
        post(events.toArray(String[]::new));
        await().atMost(EVENTUALLY).untilAsserted(() -> assertThat(progress().replayed()).isEqualTo(progress().onLog()));
        Snapshot live = snapshot();
        assertThat(live.profiles()).containsKeys(users);
        assertThat(live.links()).isNotEmpty();

        given().post("/v1/admin/engagement/rebuild").then().statusCode(202);
        await().atMost(EVENTUALLY).untilAsserted(() -> {
            RebuildResource.Progress p = progress();
            assertThat(p.replayed()).isEqualTo(p.onLog());
        });
        // compared: this test's shoppers and this class's products (the log may hold other runs' events,
        // applied live before their products were embedded, which a rebuild rightly applies differently)
        live = live.onlyAbout(user, BRAND, CATALOG.keySet());
        Snapshot rebuilt = snapshot().onlyAbout(user, BRAND, CATALOG.keySet());

        assertThat(rebuilt.profiles()).hasSize(3).isEqualTo(live.profiles());
        assertThat(rebuilt.links().keySet()).isEqualTo(live.links().keySet());
        live.links().forEach((k, v) -> assertThat(rebuilt.links().get(k)).isCloseTo(v, within(1e-9)));
        assertThat(rebuilt.trending().keySet()).isEqualTo(live.trending().keySet());
        live.trending().forEach((k, v) -> assertThat(rebuilt.trending().get(k)).isCloseTo(v, within(1e-9)));
    }

    // ---- helpers ----

    record Snapshot(Map<String, String> profiles, Map<String, Double> links, Map<String, Double> trending) {

        Snapshot onlyAbout(String userPrefix, String brand, java.util.Set<String> categoryPaths) {
            List<String> categories = categoryPaths.stream().map(p -> "c:" + String.join(" > ", categoryPath(p)) + ":").toList();
            return new Snapshot(filter(profiles, k -> k.startsWith(userPrefix + "-")),
                    filter(links, k -> k.contains(brand)),
                    filter(trending, k -> k.contains(brand) || categories.stream().anyMatch(k::startsWith)));
        }

        private static <V> Map<String, V> filter(Map<String, V> map, java.util.function.Predicate<String> keep) {
            Map<String, V> kept = new TreeMap<>();
            map.forEach((k, v) -> {
                if (keep.test(k)) {
                    kept.put(k, v);
                }
            });
            return kept;
        }
    }

    private Snapshot snapshot() {
        Map<String, String> profiles = new TreeMap<>();
        for (Row r : query("SELECT user_id, state::text || ' ' || coalesce(encode(vector, 'hex'), '') || ' ' || events"
                + " || ' ' || coalesce(model_version, '') FROM taste_profiles")) {
            profiles.put(r.getString(0), r.getString(1));
        }
        Map<String, Double> links = new TreeMap<>();
        for (Row r : query("SELECT from_product || '>' || to_product, weight FROM co_engagement")) {
            links.put(r.getString(0), r.getDouble(1));
        }
        Map<String, Double> trending = new TreeMap<>();
        for (Row r : query("SELECT 'p:' || product_id || ':' || events, log_score FROM trending_products"
                + " UNION ALL SELECT 'c:' || category || ':' || events, log_score FROM trending_categories")) {
            trending.put(r.getString(0), r.getDouble(1));
        }
        return new Snapshot(profiles, links, trending);
    }

    private Iterable<Row> query(String sql) {
        return pool.query(sql).execute().await().atMost(Duration.ofSeconds(30));
    }

    private static RebuildResource.Progress progress() {
        return given().get("/v1/admin/engagement/rebuild").then().statusCode(200).extract().as(RebuildResource.Progress.class);
    }

    private Map<String, String> deadLetters(java.util.function.Predicate<ConsumerRecord<String, String>> mine, int expected) {
        Map<String, String> reasons = new HashMap<>();
        try (KafkaConsumer<String, String> reader = kafka.consumer("test-dlq-" + user, 500)) {
            reader.assign(List.of(new TopicPartition(topics.engagementDeadLetters(), 0)));
            reader.seekToBeginning(reader.assignment());
            long deadline = System.currentTimeMillis() + EVENTUALLY.toMillis();
            while (reasons.size() < expected && System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<String, String> r : reader.poll(Duration.ofMillis(500))) {
                    if (mine.test(r)) {
                        reasons.put(r.value(), new String(r.headers().lastHeader(ConsumerLoop.REASON_HEADER).value(),
                                StandardCharsets.UTF_8));
                    }
                }
            }
        }
        assertThat(reasons).hasSize(expected);
        return reasons;
    }

    private ValidatableResponse feed(Map<String, String> params) {
        return given().queryParam("brand", BRAND).queryParams(params).get("/v1/users/" + user + "/feed")
                .then().statusCode(200);
    }

    private static void post(String... events) {
        given().contentType(ContentType.JSON).body("{\"events\":[" + String.join(",", events) + "]}")
                .post("/v1/events").then().statusCode(202).body("accepted", equalTo(events.length));
    }

    private String event(String type, String productId) {
        return event(UUID.randomUUID().toString(), type, user, productId, Instant.now());
    }

    private static String event(String eventId, String type, String userId, String productId, Instant at) {
        return "{\"eventId\":\"" + eventId + "\",\"type\":\"" + type + "\",\"userId\":\"" + userId + "\",\"productId\":\""
                + productId + "\",\"sessionId\":\"s-" + userId + "\",\"occurredAt\":\"" + at + "\"}";
    }

    /**
     * This run's own top-level category: trending per category then counts this class's events only,
     * never another class's (or an earlier run's) events on a shared path such as Home > Lighting.
     */
    private static String[] categoryPath(String path) {
        String[] parts = path.split("/");
        parts[0] = parts[0] + " " + BRAND;
        return parts;
    }

    private static String id(String path, int i) {
        return path.substring(path.indexOf('/') + 1).toLowerCase() + "-" + i + "-" + BRAND;
    }

    private static String lamp(int i) {
        return id("Home/Lighting", i);
    }

    private static String shoe(int i) {
        return id("Sports/Running", i);
    }

    private static String serum(int i) {
        return id("Beauty/Skincare", i);
    }

    /** Stands for the process dying: an Error, which no handler catches. */
    static final class SimulatedCrash extends Error {
        SimulatedCrash() {
            super("simulated crash before commit", null, false, false);
        }
    }
}

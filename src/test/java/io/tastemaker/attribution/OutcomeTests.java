package io.tastemaker.attribution;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.tastemaker.api.InvalidInputException;
import io.tastemaker.engagement.EventCodec;
import io.tastemaker.models.experiments.ShopperOutcome;
import io.tastemaker.models.experiments.Variant;
import io.tastemaker.recommend.ServedLists.ServedList;
import io.tastemaker.recommend.Surface;
import io.tastemaker.testing.TestKeys;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;

/**
 * Attribution end to end on the real broker and PostgreSQL: a served list (written to
 * served_lists as the API writes it), then impressions, clicks, carts and purchases posted with its
 * recommId, read back from /v1/analytics. Each test uses its own placement, shopper and experiment.
 */
@QuarkusTest
class OutcomeTests {

    private static final Duration EVENTUALLY = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    Pool pool;

    @Inject
    OutcomeConsumer consumer;

    @Inject
    OutcomeJobs jobs;

    @Inject
    ServedListRecorder recorder;

    @Inject
    ShopperOutcomeReader shopperOutcomes;

    @Inject
    EventCodec codec;

    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final String user = "u-" + run;
    private final String placement = "t-" + run;
    private final long experiment = 1_000_000 + ThreadLocalRandom.current().nextInt(1_000_000);
    private final AtomicInteger eventIds = new AtomicInteger();

    @Test
    void served_impression_click_pin_cart_purchase_count_once_per_placement_variant_and_rule() {
        String recommId = served(user, "treatment", List.of("p1", "p2", "p3"), List.of("", "41", "41,42"));
        post(impression(recommId, "p1", "p2"), event("click", "p2", recommId, ",\"position\":2"),
                event("pin", "p1", recommId, ",\"position\":1"), event("pin", "p1", recommId, ""),
                event("add_to_cart", "p2", recommId, ""),
                event("purchase", "p2", recommId, ",\"position\":2,\"value\":20.50,\"currency\":\"USD\""),
                event("purchase", "p1", recommId, ",\"value\":9,\"currency\":\"EUR\""));

        JsonPath total = awaitRow("placements", r -> r.getLong("purchases") == 2 && r.getLong("served") == 1);
        assertThat(counts(total)).isEqualTo(Map.of("served", 1L, "impressions", 2L, "clicks", 1L, "pins", 1L,
                "carts", 1L, "purchases", 2L, "otherCurrencyPurchases", 1L));
        assertThat(total.getDouble("saveRate.rate")).isEqualTo(0.5);
        assertThat(total.getDouble("revenue")).isEqualTo(20.5);
        assertThat(total.getString("variant")).isEqualTo("treatment");
        assertThat(total.getLong("experimentId")).isEqualTo(experiment);
        assertThat(total.getDouble("ctr.rate")).isEqualTo(0.5);
        assertThat(total.getDouble("ctr.low")).isGreaterThan(0.0).isLessThan(0.5);
        assertThat(total.getDouble("conversion.rate")).isEqualTo(1.0);

        JsonPath rule41 = rule("41");
        assertThat(counts(rule41)).isEqualTo(Map.of("served", 1L, "impressions", 1L, "clicks", 1L, "pins", 0L,
                "carts", 1L, "purchases", 1L, "otherCurrencyPurchases", 0L));
        assertThat(rule41.getDouble("revenue")).isEqualTo(20.5);
        JsonPath rule42 = rule("42");
        assertThat(counts(rule42)).containsEntry("served", 1L).containsEntry("impressions", 0L).containsEntry("clicks", 0L);

        List<ShopperOutcome> shoppers = shopperOutcomes.of(experiment).get(Variant.TREATMENT);
        assertThat(shoppers).containsExactly(new ShopperOutcome(user, 1, 2, 1, 1, 2, 20.5));
        assertThat(shopperOutcomes.of(experiment).get(Variant.CONTROL)).isEmpty();

        TestKeys.management().get("/q/metrics").then().statusCode(200)
                .body(containsString("tastemaker_attribution_outcomes_total{outcome=\"click\",placement=\"" + placement + "\"}"));
    }

    @Test
    void a_list_from_the_public_api_is_credited_through_its_recomm_id_per_placement_and_rule() {
        String brand = "Attr" + run;
        for (int i = 0; i < 3; i++) {
            given().contentType(ContentType.JSON).body("{\"title\":\"Rattan attribution lamp " + i + "\",\"brand\":\""
                    + brand + "\",\"categoryPath\":[\"Home\",\"Lighting\"],\"price\":" + (30 + i)
                    + ",\"currency\":\"USD\"}").put("/v1/catalog/products/" + brand + "-" + i).then().statusCode(202);
        }
        String ruleId = given().contentType(ContentType.JSON).body("{\"name\":\"pin " + brand + "\",\"action\":\"pin\","
                        + "\"match\":{\"type\":\"product\",\"value\":\"" + brand + "-2\"},\"position\":1}")
                .post("/v1/merchandising/rules").then().statusCode(201).extract().jsonPath().getString("id");
        JsonPath list;
        try {
            // every answer with items is recorded as served: wait for indexing and the rule under another
            // placement, then ask once under this test's own
            await().atMost(EVENTUALLY).until(() -> {
                JsonPath probe = search(brand, placement + "-probe");
                return probe.getList("items").size() == 3 && (brand + "-2").equals(probe.getString("items[0].productId"));
            });
            list = search(brand, placement);
            assertThat(list.getList("items")).hasSize(3);
            assertThat(list.getString("items[0].productId")).isEqualTo(brand + "-2");
        } finally {
            given().delete("/v1/merchandising/rules/" + ruleId).then().statusCode(204);
        }
        String recommId = list.getString("recommId");
        assertThat(list.getString("placement")).isEqualTo(placement);
        String pinned = list.getString("items[0].productId");
        String other = list.getString("items[1].productId");

        post(impression(recommId, pinned, other), event("click", pinned, recommId, ",\"position\":1"),
                event("click", other, recommId, ",\"position\":2"),
                event("purchase", pinned, recommId, ",\"position\":1,\"value\":32,\"currency\":\"USD\""));

        JsonPath row = awaitRow("placements", r -> r.getLong("purchases") == 1 && r.getLong("clicks") == 2
                && r.getLong("served") == 1);
        assertThat(counts(row)).containsEntry("impressions", 2L);
        assertThat(row.getString("modelVersion")).isEqualTo(list.getString("modelVersion"));
        JsonPath rule = rule(ruleId);
        assertThat(counts(rule)).isEqualTo(Map.of("served", 1L, "impressions", 1L, "clicks", 1L, "pins", 0L,
                "carts", 0L, "purchases", 1L, "otherCurrencyPurchases", 0L));
        assertThat(rule.getDouble("revenue")).isEqualTo(32.0);
    }

    @Test
    void duplicates_and_retries_count_once_per_list_product_and_outcome() {
        String recommId = served(user, null, List.of("p1", "p2"), List.of("", ""));
        String click = event("click", "p1", recommId, "");
        post(impression(recommId, "p1", "p2"), click, click, event("click", "p1", recommId, ",\"position\":1"),
                impression(recommId, "p2", "p1", "p2"));
        // a marker after the duplicates, in the same partition (same shopper): once it counts, they were processed
        post(event("click", "p2", recommId, ""));

        JsonPath row = awaitRow("placements", r -> r.getLong("clicks") == 2 && r.getLong("served") == 1);
        assertThat(counts(row)).containsEntry("impressions", 2L).containsEntry("clicks", 2L).containsEntry("served", 1L);
        assertThat(row.getString("variant")).isNull();
    }

    @Test
    void an_event_ahead_of_its_list_waits_for_it_and_a_late_event_still_counts() {
        String recommId = "r-" + run + "-early";
        post(event("click", "p1", recommId, ""));
        await().atMost(EVENTUALLY).until(() -> count("SELECT count(*) FROM outcome_pending WHERE recomm_id = $1", recommId) == 1);
        served(recommId, Instant.now().minus(1, ChronoUnit.DAYS), user, null, List.of("p1", "p2"), List.of("", ""));

        awaitRow("placements", r -> r.getLong("clicks") == 1);
        // late: the list was served yesterday, the purchase comes today
        post(event("purchase", "p1", recommId, ",\"value\":5,\"currency\":\"USD\""));
        awaitRow("placements", r -> r.getLong("purchases") == 1);
        // counted on the day the list was served
        given().queryParam("placement", placement).get("/v1/analytics/placements").then().statusCode(200)
                .body("rows.size()", equalTo(1)).body("rows[0].purchases", equalTo(1))
                .body("rows[0].day", equalTo(Instant.now().minus(1, ChronoUnit.DAYS).atZone(ZoneOffset.UTC)
                        .toLocalDate().toString()));
        assertThat(count("SELECT count(*) FROM outcome_pending WHERE recomm_id = $1", recommId)).isZero();
    }

    @Test
    void an_unknown_recomm_id_or_a_product_the_list_did_not_serve_is_accepted_and_counted_not_credited() {
        String recommId = served(user, null, List.of("p1"), List.of(""));
        long unknownBefore = unattributed("unknown_recomm_id", "click");
        long strangerBefore = unattributed("product_not_in_list", "click");
        given().contentType(ContentType.JSON).body("{\"events\":[" + event("click", "p1", "r-nobody-" + run, "") + ","
                + event("click", "p9", recommId, "") + "]}").post("/v1/events").then().statusCode(202);

        await().atMost(EVENTUALLY).untilAsserted(() -> {
            assertThat(unattributed("unknown_recomm_id", "click")).isEqualTo(unknownBefore + 1);
            assertThat(unattributed("product_not_in_list", "click")).isEqualTo(strangerBefore + 1);
        });
        assertThat(awaitRow("placements", r -> r.getLong("served") == 1).getLong("clicks")).isZero();
    }

    @Test
    void the_outcome_consumer_killed_mid_batch_replays_without_counting_twice() {
        String recommId = served(user, "control", List.of("p1", "p2"), List.of("", "43"));
        AtomicInteger commits = new AtomicInteger();
        consumer.beforeCommit(() -> {
            if (commits.getAndIncrement() == 0) {
                throw new SimulatedCrash(); // the process dies after writing, before committing
            }
        });
        post(impression(recommId, "p1", "p2"), event("click", "p2", recommId, ""), event("add_to_cart", "p2", recommId, ""),
                event("purchase", "p2", recommId, ",\"value\":3,\"currency\":\"USD\""));
        await().atMost(EVENTUALLY).until(() -> consumer.loops().stream().anyMatch(l -> !l.healthy()));

        consumer.stop();
        consumer.start();
        post(event("click", "p1", recommId, "")); // a marker: processed after everything before it

        JsonPath row = awaitRow("placements", r -> r.getLong("clicks") == 2 && r.getLong("served") == 1);
        assertThat(counts(row)).isEqualTo(Map.of("served", 1L, "impressions", 2L, "clicks", 2L, "pins", 0L,
                "carts", 1L, "purchases", 1L, "otherCurrencyPurchases", 0L));
        assertThat(counts(rule("43"))).containsEntry("clicks", 1L).containsEntry("purchases", 1L);
        assertThat(shopperOutcomes.of(experiment).get(Variant.CONTROL)).containsExactly(new ShopperOutcome(user, 1, 2, 2, 1, 1, 3));
        assertThat(commits.get()).as("the crash happened").isOne();
    }

    @Test
    void impressions_never_change_a_taste_profile() {
        String recommId = served(user, null, List.of("p1", "p2"), List.of("", ""));
        post(impression(recommId, "p1", "p2"), event("click", "p1", recommId, ""));
        await().atMost(EVENTUALLY).untilAsserted(() -> given().get("/v1/users/" + user + "/profile").then()
                .statusCode(200).body("events", equalTo(1)));
        awaitRow("placements", r -> r.getLong("impressions") == 2);
    }

    @Test
    void every_wrong_attribution_field_is_named_on_rest_and_on_the_topic() {
        Instant now = Instant.now();
        String at = ",\"occurredAt\":\"" + now + "\"";
        String base = "\"userId\":\"" + user + "\"";
        String body = "{\"events\":["
                + "{\"eventId\":\"v0\",\"type\":\"click\"," + base + ",\"productId\":\"p1\",\"recommId\":\"has space\",\"position\":0" + at + "},"
                + "{\"eventId\":\"v1\",\"type\":\"purchase\"," + base + ",\"productId\":\"p1\",\"value\":-1,\"currency\":\"eur\"" + at + "},"
                + "{\"eventId\":\"v2\",\"type\":\"purchase\"," + base + ",\"productId\":\"p1\",\"value\":3" + at + "},"
                + "{\"eventId\":\"v3\",\"type\":\"click\"," + base + ",\"productId\":\"p1\",\"value\":3,\"currency\":\"EUR\"" + at + "},"
                + "{\"eventId\":\"v4\",\"type\":\"impression\"," + base + ",\"productId\":\"p1\",\"productIds\":[]" + at + "},"
                + "{\"eventId\":\"v5\",\"type\":\"impression\"," + base + ",\"recommId\":\"r1\",\"productIds\":[\"p1\",\"bad id\"]" + at + "},"
                + "{\"eventId\":\"v6\",\"type\":\"hide\"," + base + ",\"productId\":\"p1\",\"recommId\":\"r1\",\"position\":2" + at + "},"
                + "{\"eventId\":\"v7\",\"type\":\"click\"," + base + ",\"productId\":\"p1\",\"productIds\":[\"p1\"],\"position\":1.5" + at + "},"
                + "{\"eventId\":\"v8\",\"type\":\"purchase\"," + base + ",\"productId\":\"p1\",\"currency\":\"EUR\"" + at + "}"
                + "]}";
        JsonPath problem = given().contentType(ContentType.JSON).body(body).post("/v1/events").then().statusCode(400)
                .contentType("application/problem+json").extract().jsonPath();
        assertThat(problem.getList("errors.field", String.class)).containsExactlyInAnyOrder(
                "events[0].recommId", "events[0].position",
                "events[1].value", "events[1].currency",
                "events[2].currency",
                "events[3].value",
                "events[4].productId", "events[4].recommId", "events[4].productIds",
                "events[5].productIds[1]",
                "events[6].recommId", "events[6].position",
                "events[7].productIds", "events[7].position",
                "events[8].value");
        assertThat(problem.getInt("rejected")).isEqualTo(9);

        // the topic's records go through the same codec
        assertThatThrownBy(() -> codec.decode(user, "{\"schema\":1,\"eventId\":\"t1\",\"type\":\"impression\",\"userId\":\""
                + user + "\",\"productIds\":[\"p1\"]" + at + "}", now))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("recommId: is required");
        assertThat(codec.decode(user, "{\"schema\":1,\"eventId\":\"t2\",\"type\":\"purchase\",\"userId\":\"" + user
                + "\",\"productId\":\"p1\",\"recommId\":\"r-1\",\"position\":4,\"value\":12.5,\"currency\":\"EUR\"" + at + "}", now)
                .attribution()).satisfies(a -> {
                    assertThat(a.recommId()).isEqualTo("r-1");
                    assertThat(a.position()).isEqualTo(4);
                    assertThat(a.value()).isEqualByComparingTo("12.5");
                    assertThat(a.currency()).isEqualTo("EUR");
                });
    }

    @Test
    void the_analytics_name_every_wrong_filter() {
        JsonPath problem = given().queryParam("from", "2026-13-01").queryParam("to", "yesterday")
                .queryParam("placement", "Home Feed").queryParam("variant", "b").queryParam("per", "week")
                .queryParam("modelVersion", "-x").get("/v1/analytics/placements").then().statusCode(400)
                .contentType("application/problem+json").extract().jsonPath();
        assertThat(problem.getList("errors.field", String.class))
                .containsExactlyInAnyOrder("from", "to", "placement", "variant", "per", "modelVersion");
        given().queryParam("from", "2026-12-02").queryParam("to", "2026-12-01").get("/v1/analytics/rules")
                .then().statusCode(400).body("errors.field", hasItem("from"));
        given().queryParam("from", "2024-01-01").queryParam("to", "2026-12-01").queryParam("ruleId", "a,b")
                .get("/v1/analytics/rules").then().statusCode(400).body("errors.field", hasItems("from", "ruleId"));
    }

    @Test
    void erasure_deletes_the_shoppers_served_lists_and_experiment_totals() {
        String recommId = served(user, "treatment", List.of("p1"), List.of(""));
        post(event("click", "p1", recommId, ""));
        await().atMost(EVENTUALLY).until(() -> shopperOutcomes.of(experiment).get(Variant.TREATMENT).stream()
                .anyMatch(o -> o.clicks() == 1));

        given().delete("/v1/users/" + user).then().statusCode(200)
                .body("removed.servedLists", equalTo(1)).body("removed.experimentTotals", equalTo(1));
        assertThat(count("SELECT count(*) FROM served_lists WHERE user_id = $1", user)).isZero();
        assertThat(shopperOutcomes.of(experiment).get(Variant.TREATMENT)).isEmpty();
        // the placement's anonymous counts stay
        awaitRow("placements", r -> r.getLong("clicks") == 1);
    }

    @Test
    void served_lists_past_the_retention_are_purged_and_their_counts_stay() {
        String old = "r-" + run + "-old";
        served(old, Instant.now().minus(40, ChronoUnit.DAYS), user, null, List.of("p1"), List.of(""));
        String recent = served(user, null, List.of("p1"), List.of(""));
        await().atMost(EVENTUALLY).until(() -> count("SELECT count(*) FROM served_lists WHERE recomm_id = $1", recent) == 1
                && count("SELECT count(*) FROM served_lists WHERE recomm_id = $1", old) == 1);

        jobs.purgeExpired();
        assertThat(count("SELECT count(*) FROM served_lists WHERE recomm_id = $1", old)).isZero();
        assertThat(count("SELECT count(*) FROM served_lists WHERE recomm_id = $1", recent)).isOne();
        // the aggregates keep what the purged list counted
        assertThat(count("SELECT coalesce(sum(served), 0)::int8 FROM placement_outcomes WHERE placement = $1", placement))
                .isEqualTo(2);
    }

    @Test
    void a_list_recorded_twice_counts_once() {
        // the writer retries a batch whose commit answer was lost: the second insert finds the row there
        String recommId = "r-" + run + "-twice";
        served(recommId, Instant.now(), user, "treatment", List.of("p1", "p2"), List.of("", "44"));
        served(recommId, Instant.now(), user, "treatment", List.of("p1", "p2"), List.of("", "44"));
        String other = served(user, "treatment", List.of("p3"), List.of(""));
        await().atMost(EVENTUALLY).until(() -> count("SELECT count(*) FROM served_lists WHERE recomm_id = $1", other) == 1
                && recorder.queued() == 0);

        assertThat(counts(awaitRow("placements", r -> r.getLong("served") >= 2))).containsEntry("served", 2L);
        assertThat(counts(rule("44"))).containsEntry("served", 1L);
        assertThat(shopperOutcomes.of(experiment).get(Variant.TREATMENT))
                .singleElement().satisfies(o -> assertThat(o.lists()).isEqualTo(2));
    }

    // ---- helpers ----

    private String served(String userId, String variant, List<String> products, List<String> rules) {
        String recommId = "r-" + run + "-" + eventIds.incrementAndGet();
        served(recommId, Instant.now(), userId, variant, products, rules);
        return recommId;
    }

    /** Records a served list as the API does: through the recorder, which writes and counts it in the background. */
    private void served(String recommId, Instant at, String userId, String variant, List<String> products, List<String> rules) {
        List<List<Long>> ruleIds = rules.stream().map(ids -> ids.isEmpty() ? List.<Long>of()
                : java.util.Arrays.stream(ids.split(",")).map(Long::valueOf).toList()).toList();
        recorder.record(new ServedList(recommId, at, placement, Surface.FEED, userId, "test-model",
                variant == null ? null : experiment, variant, 1, products, ruleIds));
    }

    private long count(String sql, String arg) {
        return pool.preparedQuery(sql).execute(Tuple.of(arg)).await().atMost(Duration.ofSeconds(10))
                .iterator().next().getLong(0);
    }

    private long unattributed(String reason, String outcome) {
        return pool.preparedQuery("SELECT coalesce(sum(events), 0)::int8 FROM unattributed_outcomes WHERE reason = $1 AND outcome = $2")
                .execute(Tuple.of(reason, outcome)).await().atMost(Duration.ofSeconds(10)).iterator().next().getLong(0);
    }

    private String event(String type, String productId, String recommId, String extra) {
        return "{\"eventId\":\"" + run + "-" + eventIds.incrementAndGet() + "\",\"type\":\"" + type + "\",\"userId\":\""
                + user + "\",\"productId\":\"" + productId + "\",\"recommId\":\"" + recommId + "\"" + extra
                + ",\"occurredAt\":\"" + Instant.now() + "\"}";
    }

    private String impression(String recommId, String... productIds) {
        return "{\"eventId\":\"" + run + "-" + eventIds.incrementAndGet() + "\",\"type\":\"impression\",\"userId\":\""
                + user + "\",\"productIds\":[\"" + String.join("\",\"", productIds) + "\"],\"recommId\":\"" + recommId
                + "\",\"occurredAt\":\"" + Instant.now() + "\"}";
    }

    private static JsonPath search(String brand, String placement) {
        return given().header("Authorization", "Bearer " + TestKeys.secret("storefront"))
                .queryParam("q", "rattan lamp").queryParam("brand", brand).queryParam("placement", placement)
                .get("/v1/search").then().statusCode(200).extract().jsonPath();
    }

    private void post(String... events) {
        given().contentType(ContentType.JSON).body("{\"events\":[" + String.join(",", events) + "]}")
                .post("/v1/events").then().statusCode(202).body("accepted", equalTo(events.length));
    }

    /**
     * This test's one row of /v1/analytics/{what} over the whole range, once {@code until} holds (lists are
     * counted by a background job, outcomes by the consumer: either may come first).
     */
    private JsonPath awaitRow(String what, java.util.function.Predicate<JsonPath> until) {
        JsonPath[] row = new JsonPath[1];
        await().atMost(EVENTUALLY).until(() -> {
            JsonPath body = given().queryParam("placement", placement).queryParam("per", "range")
                    .queryParam("from", java.time.LocalDate.now(ZoneOffset.UTC).minusDays(2).toString())
                    .get("/v1/analytics/" + what).then().statusCode(200).extract().jsonPath();
            List<Map<String, Object>> rows = body.getList("rows");
            if (rows.size() != 1) {
                return false;
            }
            row[0] = new JsonPath(JSON.writeValueAsString(rows.get(0)));
            return until.test(row[0]);
        });
        return row[0];
    }

    private JsonPath rule(String ruleId) {
        JsonPath body = given().queryParam("placement", placement).queryParam("per", "range").queryParam("ruleId", ruleId)
                .get("/v1/analytics/rules").then().statusCode(200).extract().jsonPath();
        assertThat(body.getList("rows")).hasSize(1);
        return new JsonPath(body.prettify()).setRootPath("rows[0]");
    }

    private static Map<String, Long> counts(JsonPath row) {
        Map<String, Long> counts = new java.util.TreeMap<>();
        for (String field : List.of("served", "impressions", "clicks", "pins", "carts", "purchases",
                "otherCurrencyPurchases")) {
            counts.put(field, row.getLong(field));
        }
        return counts;
    }

    /** Stands for the process dying: an Error, which no handler catches. */
    static final class SimulatedCrash extends Error {
        SimulatedCrash() {
            super("simulated crash before commit", null, false, false);
        }
    }
}

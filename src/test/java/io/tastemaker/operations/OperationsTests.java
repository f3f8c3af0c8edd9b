package io.tastemaker.operations;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.tastemaker.streams.ConsumerLoop;
import io.tastemaker.streams.KafkaClients;
import io.tastemaker.streams.Topics;
import jakarta.inject.Inject;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.hamcrest.Matchers.hasItem;

/**
 * The operator's endpoints on a real broker and PostgreSQL: the summary's figures move with the
 * traffic, malformed records are listed with their reason and origin, a dead letter that is valid
 * now goes back to its topic once and counts once however often it is asked for, an erased
 * shopper's dead letters are neither shown nor sent, and every parameter error names its field.
 */
@QuarkusTest
class OperationsTests {

    private static final Duration EVENTUALLY = Duration.ofSeconds(60);
    private static final String PRODUCT = "ops-" + UUID.randomUUID().toString().substring(0, 8);

    @Inject
    KafkaClients kafka;

    @Inject
    Topics topics;

    private final String user = "u-ops-" + UUID.randomUUID().toString().substring(0, 8);

    @Test
    void the_summary_shows_lag_throughput_latency_breakers_and_readiness() {
        product();
        for (int i = 0; i < 5; i++) {
            post(event(UUID.randomUUID().toString(), "click"));
        }
        await().atMost(EVENTUALLY).untilAsserted(() -> given().get("/v1/users/" + user + "/profile").then()
                .statusCode(200).body("events", equalTo(5)));

        JsonPath summary = given().get("/v1/operations/summary").then().statusCode(200).extract().jsonPath();
        assertThat(summary.getDouble("windowSeconds")).isPositive();
        assertThat(summary.getDouble("events.acceptedPerSecond")).isPositive();
        assertThat(summary.getDouble("events.appliedPerSecond")).isPositive();
        assertThat(summary.getList("consumers.group", String.class)).contains(topics.engagementGroup(),
                topics.catalogStoreGroup(), topics.embeddingGroup(), topics.outcomesGroup());
        Map<String, Object> engagement = summary.getMap("consumers.find { it.group == '" + topics.engagementGroup() + "' }");
        assertThat(engagement.get("topic")).isEqualTo(topics.engagement());
        assertThat(((Number) engagement.get("lag")).longValue()).isGreaterThanOrEqualTo(0);
        assertThat(((Number) engagement.get("recordsPerSecond")).doubleValue()).isPositive();
        Map<String, Object> events = summary.getMap("endpoints.find { it.method == 'POST' && it.uri == '/v1/events' }");
        assertThat(((Number) events.get("requests")).longValue()).isGreaterThanOrEqualTo(5);
        assertThat(((Number) events.get("p50Ms")).doubleValue()).isPositive();
        assertThat(((Number) events.get("p99Ms")).doubleValue())
                .isGreaterThanOrEqualTo(((Number) events.get("p50Ms")).doubleValue());
        assertThat(summary.getList("breakers.dependency", String.class)).contains("kafka");
        assertThat(summary.getList("breakers.state", String.class)).containsOnly("closed");
        assertThat(summary.getString("health.status")).isEqualTo("UP");
        assertThat(summary.getList("health.checks.name", String.class)).isNotEmpty();
        assertThat(summary.getLong("servedLists.dropped")).isGreaterThanOrEqualTo(0);
        assertThat(summary.getBoolean("llm.enabled")).isFalse();
    }

    @Test
    void a_malformed_event_is_listed_with_its_reason_and_origin() throws Exception {
        RecordMetadata sent = kafka.producer().send(new ProducerRecord<>(topics.engagement(), user,
                "{\"schema\":1,\"eventId\":\"bad-" + user + "\",\"type\":\"teleport\",\"userId\":\"" + user + "\"}")).get();

        await().atMost(EVENTUALLY).untilAsserted(() -> given().queryParam("topic", topics.engagementDeadLetters())
                .get("/v1/operations/dead-letters").then().statusCode(200).body("deadLetters.key", hasItem(user)));
        Map<String, Object> letter = given().queryParam("topic", topics.engagementDeadLetters())
                .get("/v1/operations/dead-letters").then().extract().jsonPath()
                .getMap("deadLetters.find { it.key == '" + user + "' }");
        assertThat((String) letter.get("reason")).contains("type");
        assertThat(letter.get("source")).isEqualTo(Map.of("topic", topics.engagement(), "partition", sent.partition(),
                "offset", (int) sent.offset()));
        assertThat((String) letter.get("payload")).contains("teleport");
        assertThat(letter.get("group")).isEqualTo(topics.engagementGroup());
        assertThat(letter.get("deadLetteredAt")).isNotNull();
        assertThat(letter.get("republished")).isNull();
        // without a topic: every dead-letter topic
        given().get("/v1/operations/dead-letters").then().statusCode(200)
                .body("topics", equalTo(List.of(topics.catalogDeadLetters(), topics.engagementDeadLetters())))
                .body("deadLetters.key", hasItem(user));
    }

    @Test
    void a_dead_letter_valid_now_goes_back_once_and_counts_once() throws Exception {
        product();
        // a dead letter of an earlier bug, since fixed: its event is valid now
        RecordMetadata dead = deadLetter(user, event("fixed-" + user, "pin"), "productId: unknown (the bug)");
        Map<String, Object> place = Map.of("topic", topics.engagementDeadLetters(), "partition", dead.partition(),
                "offset", dead.offset());

        given().urlEncodingEnabled(false).contentType(ContentType.JSON).header("X-Actor", "Ravi")
                .body(Map.of("deadLetters", List.of(place))).post("/v1/operations/dead-letters:republish")
                .then().statusCode(202).body("republished", equalTo(1))
                .body("deadLetters[0].status", equalTo("republished"))
                .body("deadLetters[0].sourceTopic", equalTo(topics.engagement()))
                .body("deadLetters[0].republished.by", allOf(startsWith("key:"), endsWith(" for Ravi")));
        await().atMost(EVENTUALLY).untilAsserted(() -> given().get("/v1/users/" + user + "/profile").then()
                .statusCode(200).body("events", equalTo(1)));

        // asked again (a double click, a second operator): nothing is sent, it says who did it
        given().urlEncodingEnabled(false).contentType(ContentType.JSON).body(Map.of("deadLetters", List.of(place)))
                .post("/v1/operations/dead-letters:republish").then().statusCode(200).body("republished", equalTo(0))
                .body("deadLetters[0].status", equalTo("already-republished"))
                .body("deadLetters[0].republished.by", endsWith(" for Ravi"));
        post(event(UUID.randomUUID().toString(), "view")); // a marker applied after anything sent before it
        await().atMost(EVENTUALLY).untilAsserted(() -> given().get("/v1/users/" + user + "/profile").then()
                .statusCode(200).body("events", equalTo(2)));

        // the same event back another way (the storefront resending it) still counts once: the eventId is kept
        post(event("fixed-" + user, "pin"));
        post(event(UUID.randomUUID().toString(), "view"));
        await().atMost(EVENTUALLY).untilAsserted(() -> given().get("/v1/users/" + user + "/profile").then()
                .statusCode(200).body("events", equalTo(3)));

        Map<String, Object> listed = given().queryParam("topic", topics.engagementDeadLetters())
                .queryParam("limit", 500).get("/v1/operations/dead-letters").then().statusCode(200).extract().jsonPath()
                .getMap("deadLetters.find { it.offset == " + dead.offset() + " }");
        assertThat(listed.get("republished")).asString().contains(" for Ravi");
    }

    @Test
    void an_erased_shoppers_dead_letters_are_withheld_and_never_sent_back() throws Exception {
        RecordMetadata dead = deadLetter(user, event("gone-" + user, "pin"), "productId: unknown");
        given().delete("/v1/users/" + user).then().statusCode(200);

        Map<String, Object> listed = given().queryParam("topic", topics.engagementDeadLetters()).queryParam("limit", 500)
                .get("/v1/operations/dead-letters").then().statusCode(200).extract().jsonPath()
                .getMap("deadLetters.find { it.offset == " + dead.offset() + " }");
        assertThat(listed.get("withheld")).isEqualTo("its shopper was erased");
        assertThat(listed.get("key")).isNull();
        assertThat(listed.get("payload")).isNull();
        assertThat(listed.get("reason")).isNull();

        given().urlEncodingEnabled(false).contentType(ContentType.JSON).body(Map.of("deadLetters", List.of(Map.of("topic",
                        topics.engagementDeadLetters(), "partition", dead.partition(), "offset", dead.offset()))))
                .post("/v1/operations/dead-letters:republish").then().statusCode(409);
    }

    @Test
    void every_parameter_error_names_its_field() {
        given().queryParam("topic", "tastemaker.catalog.v1").queryParam("limit", "0").get("/v1/operations/dead-letters")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", equalTo(List.of("topic", "limit")));
        given().queryParam("limit", "many").get("/v1/operations/dead-letters").then().statusCode(400)
                .body("errors.field", equalTo(List.of("limit")));
        given().urlEncodingEnabled(false).contentType(ContentType.JSON).body("{}").post("/v1/operations/dead-letters:republish")
                .then().statusCode(400).body("errors.field", equalTo(List.of("deadLetters")));
        given().urlEncodingEnabled(false).contentType(ContentType.JSON)
                .body("{\"deadLetters\":[{\"topic\":\"nope\",\"partition\":-1,\"offset\":\"x\"}]}")
                .post("/v1/operations/dead-letters:republish").then().statusCode(400)
                .body("errors.field", equalTo(List.of("deadLetters[0].topic", "deadLetters[0].partition",
                        "deadLetters[0].offset")));
        given().urlEncodingEnabled(false).contentType(ContentType.JSON).body(Map.of("deadLetters", List.of(Map.of("topic",
                        topics.catalogDeadLetters(), "partition", 0, "offset", 987654321L))))
                .post("/v1/operations/dead-letters:republish").then().statusCode(404);
    }

    // ---- helpers ----------------------------------------------------------------------

    private void product() {
        given().contentType(ContentType.JSON).body("{\"title\":\"Operator's enamel mug\",\"brand\":\"Ops\","
                        + "\"categoryPath\":[\"Kitchen\"],\"price\":12,\"currency\":\"USD\"}")
                .put("/v1/catalog/products/" + PRODUCT).then().statusCode(202);
    }

    /** Writes a dead letter as the consumer loop does, headers and all. */
    private RecordMetadata deadLetter(String key, String value, String reason) throws Exception {
        ProducerRecord<String, String> record = new ProducerRecord<>(topics.engagementDeadLetters(), null, key, value);
        record.headers().add(ConsumerLoop.REASON_HEADER, reason.getBytes(StandardCharsets.UTF_8))
                .add("tastemaker.dlq.source", (topics.engagement() + "/0@0").getBytes(StandardCharsets.UTF_8))
                .add("tastemaker.dlq.group", topics.engagementGroup().getBytes(StandardCharsets.UTF_8))
                .add("tastemaker.dlq.at", Instant.now().toString().getBytes(StandardCharsets.UTF_8));
        return kafka.producer().send(record).get();
    }

    private static void post(String event) {
        given().contentType(ContentType.JSON).body("{\"events\":[" + event + "]}").post("/v1/events")
                .then().statusCode(202);
    }

    private String event(String eventId, String type) {
        return "{\"schema\":1,\"eventId\":\"" + eventId + "\",\"type\":\"" + type + "\",\"userId\":\"" + user
                + "\",\"productId\":\"" + PRODUCT + "\",\"occurredAt\":\"" + Instant.now() + "\"}";
    }
}

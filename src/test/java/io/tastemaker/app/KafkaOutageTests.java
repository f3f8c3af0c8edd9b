package io.tastemaker.app;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.tastemaker.catalog.CatalogResource;
import io.tastemaker.testing.TestKeys;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

/**
 * Kafka stopped while a storefront sends events and asks for lists: the real embedded broker is
 * shut down, then started again on its log. Events and catalog writes are refused honestly (503
 * problem+json with Retry-After, never a 202 the broker has not acknowledged), lists keep
 * answering, the instance stays ready (it serves reads) and says it is degraded; once the broker is
 * back, events are accepted again, and every accepted event, including the refused ones sent again
 * with their own event ids, is reflected exactly once. Each event has its own shopper, so the
 * shopper's profile counts exactly that one event.
 */
@QuarkusTest
class KafkaOutageTests {

    private static final Logger LOG = Logger.getLogger(KafkaOutageTests.class);
    private static final Duration EVENTUALLY = Duration.ofSeconds(90);
    private static final int REQUESTS_DURING_OUTAGE = 12;

    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final String product = "outage-lamp-" + run;

    @Inject
    Bootstrap bootstrap;

    @Test
    void events_are_refused_with_retry_after_while_kafka_is_down_lists_keep_answering_and_nothing_is_lost_or_counted_twice() {
        given().contentType(ContentType.JSON).body("{\"title\":\"Brass outage lamp\",\"brand\":\"Outage" + run
                        + "\",\"categoryPath\":[\"Home\",\"Lighting\"],\"price\":30,\"currency\":\"USD\"}")
                .put("/v1/catalog/products/" + product).then().statusCode(202);
        await().atMost(EVENTUALLY).untilAsserted(() -> given().get("/v1/catalog/products/" + product).then().statusCode(200));

        List<String> accepted = new ArrayList<>();
        Map<String, String> refused = new LinkedHashMap<>();
        for (int i = 0; i < 3; i++) {
            String user = user();
            assertThat(post(user, event(user)).statusCode()).isEqualTo(202);
            accepted.add(user);
        }

        int listsSent = 0;
        int lists2xx = 0;
        int lists5xx = 0;
        int eventsAcceptedWhileDown = 0;
        bootstrap.stopEmbeddedBroker();
        try {
            for (int i = 0; i < REQUESTS_DURING_OUTAGE; i++) {
                String user = user();
                String event = event(user);
                Response answer = post(user, event);
                if (answer.statusCode() == 202) {
                    eventsAcceptedWhileDown++; // impossible with the broker down: asserted below
                    accepted.add(user);
                } else {
                    assertRefusedWithRetryAfter(answer);
                    refused.put(user, event);
                }
                for (Response list : List.of(given().queryParam("q", "lamp").get("/v1/search"),
                        given().get("/v1/users/" + user + "/feed"))) {
                    listsSent++;
                    lists2xx += list.statusCode() / 100 == 2 ? 1 : 0;
                    lists5xx += list.statusCode() / 100 == 5 ? 1 : 0;
                }
            }
            assertRefusedWithRetryAfter(given().contentType(ContentType.JSON)
                    .body("{\"title\":\"Another lamp\",\"categoryPath\":[\"Home\"],\"price\":10,\"currency\":\"USD\"}")
                    .put("/v1/catalog/products/outage-other-" + run));
            Response refusedImport = given().urlEncodingEnabled(false).contentType(CatalogResource.NDJSON)
                    .body(("{\"id\":\"outage-import-" + run + "\",\"title\":\"Lamp\",\"categoryPath\":[\"Home\"],"
                            + "\"price\":10,\"currency\":\"USD\"}\n").getBytes(StandardCharsets.UTF_8))
                    .post("/v1/catalog/products:import");
            assertRefusedWithRetryAfter(refusedImport);
            assertThat(refusedImport.jsonPath().getInt("acknowledged")).isZero();
            TestKeys.management().get("/q/health/ready").then().statusCode(200)
                    .body("checks.find { it.name == 'kafka' }.data.degraded", notNullValue());
            assertThat(kafkaBreakerState()).as("the broker's write breaker, open or trying again").isPositive();
        } finally {
            bootstrap.startEmbeddedBroker();
        }
        long restarted = System.nanoTime();
        String first = user();
        String firstEvent = event(first);
        await().atMost(EVENTUALLY).pollInterval(Duration.ofMillis(200))
                .until(() -> post(first, firstEvent).statusCode() == 202);
        long recoveryMs = (System.nanoTime() - restarted) / 1_000_000;
        accepted.add(first);
        // what was refused is sent again with the same event ids: safe even if the broker got an unconfirmed one
        refused.forEach((user, event) -> {
            await().atMost(EVENTUALLY).pollInterval(Duration.ofMillis(200)).until(() -> post(user, event).statusCode() == 202);
            accepted.add(user);
        });

        for (String user : accepted) {
            await().atMost(EVENTUALLY).untilAsserted(() -> given().get("/v1/users/" + user + "/profile").then()
                    .statusCode(200).body("events", equalTo(1)));
        }
        int eventsSent = 3 + REQUESTS_DURING_OUTAGE + 1;
        LOG.infof("FAULT_MATRIX fault=kafka_stopped sent=%d ok2xx=%d degraded=0 err4xx=0 err5xx=%d events_sent=%d"
                        + " events_reflected=%d recovery_ms=%d", listsSent + eventsSent,
                lists2xx + 3 + eventsAcceptedWhileDown + 1, lists5xx + refused.size(), eventsSent, accepted.size(), recoveryMs);
        assertThat(eventsAcceptedWhileDown).as("events answered 202 with the broker down").isZero();
        assertThat(lists5xx).as("lists answered 5xx with the broker down").isZero();
        assertThat(lists2xx).isEqualTo(listsSent);
        assertThat(accepted).hasSize(eventsSent);
        assertThat(kafkaBreakerState()).as("the broker's write breaker once writes succeed again").isZero();
    }

    private static double kafkaBreakerState() {
        String metrics = TestKeys.management().get("/q/metrics").then().statusCode(200).extract().asString();
        java.util.regex.Matcher m = java.util.regex.Pattern
                .compile("(?m)^tastemaker_dependency_circuit_state\\{dependency=\"kafka\"[^}]*}\\s+(\\S+)").matcher(metrics);
        assertThat(m.find()).as("the kafka breaker's gauge").isTrue();
        return Double.parseDouble(m.group(1));
    }

    private static void assertRefusedWithRetryAfter(Response answer) {
        assertThat(answer.statusCode()).as(answer.asString()).isEqualTo(503);
        assertThat(answer.contentType()).startsWith("application/problem+json");
        assertThat(answer.header("Retry-After")).as("Retry-After").matches("[1-9][0-9]*");
    }

    private static Response post(String user, String event) {
        return given().contentType(ContentType.JSON).body("{\"events\":[" + event + "]}").post("/v1/events");
    }

    private String user() {
        return "outage-" + run + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private String event(String user) {
        return "{\"eventId\":\"" + UUID.randomUUID() + "\",\"type\":\"pin\",\"userId\":\"" + user + "\",\"productId\":\""
                + product + "\",\"occurredAt\":\"" + Instant.now() + "\"}";
    }
}

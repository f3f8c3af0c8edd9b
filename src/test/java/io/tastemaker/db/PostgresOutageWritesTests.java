package io.tastemaker.db;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.config.HttpClientConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.tastemaker.testing.PausedPostgres;
import io.tastemaker.testing.SmallInstance;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/**
 * PostgreSQL hung (every process of the embedded server stopped with SIGSTOP): the writes that
 * need it answer 503 with Retry-After at once instead of hanging, events and catalog writes are
 * still accepted (Kafka has them) and are reflected once it answers again, and writes work again
 * within a probe of its return.
 */
@QuarkusTest
@TestProfile(SmallInstance.class)
class PostgresOutageWritesTests {

    private static final Duration EVENTUALLY = Duration.ofSeconds(60);
    /** A write that hangs instead of being refused fails the test instead of hanging it. */
    private static final RestAssuredConfig BOUNDED = RestAssured.config().httpClient(HttpClientConfig.httpClientConfig()
            .setParam("http.socket.timeout", 20_000).setParam("http.connection.timeout", 5_000));

    private final String run = UUID.randomUUID().toString().substring(0, 8);

    @Test
    void while_postgresql_hangs_its_writes_are_refused_at_once_and_events_and_catalog_writes_are_kept() {
        given().contentType(ContentType.JSON).header("X-Actor", "test").body(rule("before")).post("/v1/merchandising/rules")
                .then().statusCode(201);

        String shopper = "outage-" + run;
        String product = "outage-lamp-" + run;
        int sent = 0;
        int ok = 0;
        int refused = 0;
        int otherErrors = 0;
        int eventsSent = 0;
        int[] eventsCount = new int[1];
        long recoveryMs;
        try (PausedPostgres paused = PausedPostgres.pause(Path.of(SmallInstance.DATA_DIR, "postgres"))) {
            // the watch notices within a probe; until then a write may still be waiting on the hung server
            await().atMost(EVENTUALLY).until(() -> bounded().contentType(ContentType.JSON).header("X-Actor", "test")
                    .body(rule("noticed")).post("/v1/merchandising/rules").statusCode() == 503);

            List<Supplier<Response>> writes = List.of(
                    () -> bounded().contentType(ContentType.JSON).header("X-Actor", "test").body(rule("during"))
                            .post("/v1/merchandising/rules"),
                    () -> bounded().header("X-Actor", "test").delete("/v1/merchandising/rules/1"),
                    () -> bounded().contentType(ContentType.JSON).body(Map.of("name", "outage key", "roles", List.of("storefront")))
                            .post("/v1/admin/keys"),
                    () -> bounded().post("/v1/models/rollback"),
                    () -> bounded().post("/v1/admin/engagement/rebuild"),
                    () -> bounded().header("X-Actor", "test").delete("/v1/users/" + shopper + "-erased"));
            for (Supplier<Response> write : writes) {
                Response answer = write.get();
                sent++;
                if (answer.statusCode() == 503) {
                    refused++;
                    assertThat(answer.header("Retry-After")).isNotBlank();
                    assertThat(answer.contentType()).startsWith("application/problem+json");
                    assertThat(answer.jsonPath().getString("detail")).contains("PostgreSQL");
                } else {
                    otherErrors++;
                }
            }
            assertThat(refused).as("every write that needs PostgreSQL is refused").isEqualTo(writes.size());

            // events and catalog writes go to Kafka, which has them: accepted
            for (int i = 0; i < 3; i++) {
                Response accepted = bounded().contentType(ContentType.JSON).body("{\"events\":[" + event("e" + i + "-" + run,
                        shopper, product) + "]}").post("/v1/events");
                sent++;
                eventsSent++;
                assertThat(accepted.statusCode()).isEqualTo(202);
                ok++;
            }
            Response put = bounded().contentType(ContentType.JSON).body(Map.of("title", "Outage floor lamp", "brand", "Lumo",
                    "categoryPath", List.of("Outage" + run, "Lighting"), "price", 80, "currency", "USD"))
                    .put("/v1/catalog/products/" + product);
            sent++;
            assertThat(put.statusCode()).isEqualTo(202);
            ok++;
        }
        eventsCount[0] = eventsSent;
        long resumed = System.nanoTime();
        await().atMost(EVENTUALLY).until(() -> bounded().contentType(ContentType.JSON).header("X-Actor", "test")
                .body(rule("after")).post("/v1/merchandising/rules").statusCode() == 201);
        recoveryMs = (System.nanoTime() - resumed) / 1_000_000;

        // what Kafka kept during the outage is applied once PostgreSQL answers: once, not twice
        await().atMost(EVENTUALLY).untilAsserted(() -> given().get("/v1/catalog/products/" + product).then().statusCode(200));
        await().atMost(EVENTUALLY).untilAsserted(() -> given().get("/v1/users/" + shopper + "/profile").then().statusCode(200)
                .body("events", equalTo(eventsCount[0])));
        int reflected = given().get("/v1/users/" + shopper + "/profile").then().extract().jsonPath().getInt("events");
        assertThat(otherErrors).isZero();
        System.out.printf("FAULT_MATRIX fault=postgres-stopped sent=%d ok2xx=%d err4xx=0 err5xx=%d events_sent=%d"
                + " events_reflected=%d recovery_ms=%d%n", sent, ok, refused, eventsSent, reflected, recoveryMs);
    }

    private static RequestSpecification bounded() {
        return given().config(BOUNDED);
    }

    private String rule(String when) {
        return "{\"name\":\"outage " + when + " " + run + "\",\"action\":\"boost\",\"match\":{\"type\":\"brand\",\"value\":\"Lumo"
                + run + "\"},\"factor\":1.5}";
    }

    private static String event(String eventId, String userId, String productId) {
        return "{\"eventId\":\"" + eventId + "\",\"type\":\"view\",\"userId\":\"" + userId + "\",\"productId\":\"" + productId
                + "\",\"sessionId\":\"s-" + userId + "\",\"occurredAt\":\"" + Instant.now() + "\"}";
    }
}

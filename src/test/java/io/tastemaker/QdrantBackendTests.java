package io.tastemaker;

import io.tastemaker.testing.TestKeys;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.tastemaker.vectors.QdrantStandIn;
import io.tastemaker.vectors.VectorStore;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

/**
 * The service with {@code tastemaker.vectors.backend=qdrant}: the catalog flows through the real
 * broker, database and model into Qdrant's protocol (the in-process stand-in, over TCP), and
 * search, similar and readiness go through the Qdrant adapter.
 */
@QuarkusTest
@TestProfile(QdrantBackendTests.QdrantBackend.class)
class QdrantBackendTests {

    @Inject
    VectorStore store;

    @Test
    void products_flow_into_qdrant_and_are_served_from_it() {
        String brand = "Q" + UUID.randomUUID().toString().substring(0, 8);
        put("teapot-" + brand, "Cast iron teapot with infuser", brand, "Kitchen");
        put("kettle-" + brand, "Stovetop whistling kettle", brand, "Kitchen");
        put("scarf-" + brand, "Merino wool scarf", brand, "Accessories");

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().queryParam("q", "teapot")
                .queryParam("brand", brand).get("/v1/search").then().statusCode(200)
                .body("items[0].productId", equalTo("teapot-" + brand)));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().queryParam("brand", brand)
                .queryParam("category", "kitchen").get("/v1/products/teapot-" + brand + "/similar").then()
                .statusCode(200).body("items.productId", equalTo(List.of("kettle-" + brand))));

        assertThat(store.collections()).contains("products-bge-small-en-v1.5-q");
        assertThat(store.aliasTarget("products")).contains("products-bge-small-en-v1.5-q");
        TestKeys.management().get("/q/health/ready").then().statusCode(200).body("checks.name", hasItem("vectors"));
    }

    /**
     * Qdrant slow (2 s per call, beyond a list's deadline) and then refusing: lists fall back to
     * co-engagement and trending, say so in {@code degraded}, and are whole again once it answers.
     */
    @Test
    void lists_fall_back_to_co_engagement_and_trending_while_qdrant_is_slow_or_refusing() {
        String brand = "F" + UUID.randomUUID().toString().substring(0, 8);
        put("lamp-" + brand, "Brass desk lamp", brand, "Lighting");
        put("shade-" + brand, "Linen lamp shade", brand, "Lighting");
        put("rug-" + brand, "Jute area rug", brand, "Rugs");
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().queryParam("q", "lamp")
                .queryParam("brand", brand).get("/v1/search").then().statusCode(200).body("items.size()", equalTo(3)));
        for (int s = 0; s < 3; s++) { // shoppers went from the lamp to the rug
            String shopper = "u-" + UUID.randomUUID().toString().substring(0, 8);
            given().contentType(ContentType.JSON).body("{\"events\":[" + event(shopper, "lamp-" + brand, 60) + ","
                    + event(shopper, "rug-" + brand, 0) + "]}").post("/v1/events").then().statusCode(202);
        }
        // the rug must be there for co-engagement's reason: the vector search alone can list it too,
        // and a fault started before the graph holds the link leaves nothing to fall back to
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().get("/v1/products/lamp-" + brand + "/similar")
                .then().statusCode(200).body("items.find { it.productId == 'rug-" + brand + "' }.reasons.source",
                        hasItem("coEngagement")));

        for (String fault : List.of("qdrant_delayed_2s", "qdrant_refusing")) {
            StandInResource.running.fault(fault.contains("delayed") ? Duration.ofSeconds(2) : Duration.ZERO,
                    fault.contains("refusing"));
            int sent = 12;
            int ok = 0;
            int degraded = 0;
            int err5xx = 0;
            List<String> failures = new java.util.ArrayList<>(); // what each 5xx said, for the assertion's message
            boolean coEngagementServed = false;
            try {
                for (int i = 0; i < sent; i++) {
                    io.restassured.response.Response answer = given().get("/v1/products/lamp-" + brand + "/similar");
                    if (answer.statusCode() >= 500) {
                        err5xx++;
                        failures.add(answer.statusCode() + " " + answer.body().asString());
                    } else if (answer.statusCode() == 200) {
                        ok++;
                        List<String> missing = answer.jsonPath().getList("degraded", String.class);
                        degraded += missing.isEmpty() ? 0 : 1;
                        coEngagementServed |= answer.jsonPath().getList("items.productId").contains("rug-" + brand);
                        assertThat(missing).doesNotContain("coEngagement");
                    }
                }
            } finally {
                StandInResource.running.fault(Duration.ZERO, false);
            }
            long restored = System.nanoTime();
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                io.restassured.response.Response answer = given().get("/v1/products/lamp-" + brand + "/similar");
                return answer.statusCode() == 200 && answer.jsonPath().getList("degraded").isEmpty();
            });
            org.jboss.logging.Logger.getLogger(QdrantBackendTests.class).infof(
                    "FAULT_MATRIX fault=%s sent=%d ok2xx=%d degraded=%d err5xx=%d recovery_ms=%d", fault, sent, ok,
                    degraded, err5xx, (System.nanoTime() - restored) / 1_000_000);
            assertThat(err5xx).as(fault + ": lists answered 5xx while co-engagement could answer: " + failures).isZero();
            assertThat(ok).isEqualTo(sent);
            assertThat(degraded).as(fault + ": lists that said the vector store was missing").isEqualTo(sent);
            assertThat(coEngagementServed).as(fault + ": what shoppers chose next is still shown").isTrue();
        }
    }

    private static String event(String userId, String productId, int secondsAgo) {
        return "{\"eventId\":\"" + UUID.randomUUID() + "\",\"type\":\"view\",\"userId\":\"" + userId
                + "\",\"productId\":\"" + productId + "\",\"occurredAt\":\""
                + java.time.Instant.now().minusSeconds(secondsAgo) + "\"}";
    }

    private static void put(String id, String title, String brand, String category) {
        given().contentType(ContentType.JSON).body("{\"title\":\"" + title + "\",\"brand\":\"" + brand
                        + "\",\"categoryPath\":[\"" + category + "\"],\"price\":30,\"currency\":\"EUR\"}")
                .put("/v1/catalog/products/" + id).then().statusCode(202);
    }

    public static class QdrantBackend implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(StandInResource.class));
        }
    }

    /** Starts the Qdrant protocol stand-in on a loopback port for the service to connect to. */
    public static class StandInResource implements QuarkusTestResourceLifecycleManager {

        /** The stand-in the service talks to, for tests that make it slow or refuse. */
        static volatile QdrantStandIn running;

        private QdrantStandIn qdrant;

        @Override
        public Map<String, String> start() {
            qdrant = new QdrantStandIn(true);
            running = qdrant;
            return Map.of("tastemaker.vectors.backend", "qdrant",
                    "tastemaker.vectors.qdrant.host", "localhost",
                    "tastemaker.vectors.qdrant.port", String.valueOf(qdrant.port()));
        }

        @Override
        public void stop() {
            qdrant.close();
        }
    }
}

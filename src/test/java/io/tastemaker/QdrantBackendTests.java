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

        private QdrantStandIn qdrant;

        @Override
        public Map<String, String> start() {
            qdrant = new QdrantStandIn(true);
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

package io.tastemaker.packaged;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.oneOf;
import static org.hamcrest.Matchers.startsWith;

/**
 * The packaged jar, started by Quarkus as {@code java -jar target/quarkus-app/quarkus-run.jar}
 * in the prod profile on an empty data directory, with the embedded defaults: it answers its
 * health probes, writes its keys, loads the demo catalog and engagement, and serves every
 * storefront list from them. The demo loads in the background (the README: products embedded in
 * about three minutes, engagement after them), so each list is awaited, with a generous bound.
 * Quarkus also hands the jar the throw-away JWT keys its test tooling generates (as for every
 * {@code @QuarkusTest}); nothing here sends a JWT, and {@link PackagedAppShutdownIT} starts the
 * jar with nothing but the README's settings.
 */
@QuarkusIntegrationTest
@WithTestResource(PackagedRunResource.class)
class PackagedAppIT {

    /** Demo engagement follows the embedding of the products it touches: minutes on two busy cores. */
    private static final Duration DEMO_LOADED = Duration.ofMinutes(10);

    PackagedRun run;

    @Test
    void answers_liveness_and_readiness_on_the_management_port() {
        given().port(run.managementPort()).get("/q/health/live")
                .then().statusCode(200).body("status", is("UP"));
        eventually(Duration.ofMinutes(2)).untilAsserted(() -> given().port(run.managementPort()).get("/q/health/ready")
                .then().statusCode(200).body("status", is("UP")).body("checks.name", hasItems("kafka", "vectors")));
    }

    @Test
    void writes_an_operator_and_a_storefront_key_only_their_owner_can_read() throws Exception {
        for (String role : new String[] {"operator", "storefront"}) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(run.dataDir().resolve("keys").resolve(role))))
                    .isEqualTo("rw-------");
        }
        given().get("/v1/search?q=lamp").then().statusCode(401);
        storefront().get("/v1/catalog/products/demo-00001").then().statusCode(403);
    }

    @Test
    void holds_the_demo_catalog_and_the_demo_shoppers_engagement() {
        eventually(DEMO_LOADED).untilAsserted(() -> operator().get("/v1/catalog/products/demo-06000")
                .then().statusCode(200).body("id", is("demo-06000")));
        eventually(DEMO_LOADED).untilAsserted(() -> operator().get("/v1/users/demo-maya/profile")
                .then().statusCode(200).body("recentItems", not(hasSize(0))));
    }

    @Test
    void searches_the_demo_catalog() {
        eventually(DEMO_LOADED).untilAsserted(() -> storefront().get("/v1/search?q=cozy+reading+lamp&limit=5")
                .then().statusCode(200)
                .body("items", hasSize(5))
                .body("items.productId", everyItem(startsWith("demo-")))
                .body("items.reasons.flatten().source", hasItem("query")));
    }

    @Test
    void shows_more_like_a_demo_product() {
        eventually(DEMO_LOADED).untilAsserted(() -> storefront().get("/v1/products/demo-00001/similar?limit=5")
                .then().statusCode(200)
                .body("items", hasSize(5))
                .body("items.productId", not(hasItem("demo-00001"))));
    }

    @Test
    void gives_a_demo_shopper_a_personal_feed() {
        // personal: some item comes from her own history, not only from what is trending
        eventually(DEMO_LOADED).untilAsserted(() -> storefront().get("/v1/users/demo-maya/feed?limit=10")
                .then().statusCode(200)
                .body("items", hasSize(10))
                .body("items.reasons.flatten().source", hasItem(oneOf("profile", "similar", "coEngagement"))));
    }

    @Test
    void answers_the_shopping_assistant_within_the_price_it_was_told() {
        eventually(DEMO_LOADED).untilAsserted(() -> storefront().contentType(ContentType.JSON)
                .body("{\"userId\":\"demo-maya\",\"query\":\"cozy reading nook under $200\",\"limit\":5}")
                .post("/v1/assistant/suggestions")
                .then().statusCode(200)
                .body("items", hasSize(5))
                .body("items.findAll { it.price > 200 }", hasSize(0)));
    }

    private RequestSpecification storefront() {
        return given().header("Authorization", "Bearer " + run.key("storefront"));
    }

    private RequestSpecification operator() {
        return given().header("Authorization", "Bearer " + run.key("operator"));
    }

    private static ConditionFactory eventually(Duration bound) {
        // each failed attempt logs its request and response: poll calmly
        return await().atMost(bound).pollInterval(Duration.ofSeconds(5));
    }
}

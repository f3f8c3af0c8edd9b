package io.tastemaker.attribution;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/**
 * The serving side of attribution: every list answer names itself (recommId), its placement and
 * its items' positions, and is recorded in served_lists with the rules that touched each item.
 * The shop lives under its own top category, so other tests' products never interfere.
 */
@QuarkusTest
class ServedListsTests {

    private static final Duration EVENTUALLY = Duration.ofSeconds(60);
    private static final String SHOP = "Served" + UUID.randomUUID().toString().substring(0, 8);
    private static final String[] TITLES = {"Brass table lamp with a linen shade", "Ceramic bedside lamp with warm light",
            "Arc floor lamp for a reading corner", "Rattan pendant ceiling light", "Adjustable desk lamp with USB port",
            "Hand-woven wool area rug", "Stoneware coffee mug, 350 ml", "Chunky knit throw blanket"};
    private static boolean catalogLoaded;

    @Inject
    Pool pool;

    @BeforeEach
    void loadCatalogOnce() {
        if (catalogLoaded) {
            return;
        }
        for (int i = 0; i < TITLES.length; i++) {
            given().contentType(ContentType.JSON).body(Map.of("title", TITLES[i], "brand", "Lumo",
                            "categoryPath", List.of(SHOP, "Living"), "price", 20 + i, "currency", "USD"))
                    .put("/v1/catalog/products/" + id(i)).then().statusCode(202);
        }
        await().atMost(EVENTUALLY).untilAsserted(() -> search(Map.of("limit", "100"))
                .body("items.size()", equalTo(TITLES.length)));
        catalogLoaded = true;
    }

    @Test
    void every_answer_names_itself_its_placement_and_where_each_item_stands_on_the_whole_list() {
        JsonPath first = search(Map.of("limit", "3", "placement", "search-results")).extract().jsonPath();
        assertThat(first.getString("recommId")).matches("[0-9A-Z]{26}");
        assertThat(first.getString("placement")).isEqualTo("search-results");
        assertThat(first.getList("items.position", Integer.class)).containsExactly(1, 2, 3);

        JsonPath second = search(Map.of("limit", "3", "placement", "search-results", "cursor", first.getString("nextCursor")))
                .extract().jsonPath();
        assertThat(second.getList("items.position", Integer.class)).containsExactly(4, 5, 6);
        assertThat(second.getString("recommId")).isNotEqualTo(first.getString("recommId"));

        // without a placement, each surface reports under its own default
        assertThat(search(Map.of()).extract().path("placement").toString()).isEqualTo("search");
        given().queryParam("category", SHOP).get("/v1/users/" + user() + "/feed").then().statusCode(200)
                .body("placement", equalTo("home-feed"));
        given().queryParam("category", SHOP).get("/v1/products/" + id(0) + "/similar").then().statusCode(200)
                .body("placement", equalTo("pdp-similar")).body("items[0].position", equalTo(1));
        given().contentType(ContentType.JSON).body(Map.of("query", "a lamp for reading", "filters", Map.of("category", SHOP),
                        "placement", "chat"))
                .post("/v1/assistant/suggestions").then().statusCode(200)
                .body("placement", equalTo("chat")).body("items[0].position", equalTo(1));
    }

    @Test
    void a_served_list_is_recorded_with_its_items_positions_and_the_rules_that_touched_them() {
        String pinned = id(5);
        long ruleId = given().contentType(ContentType.JSON).header("X-Actor", "test")
                .body(Map.of("name", "Rug first " + SHOP, "action", "pin", "match", Map.of("type", "product", "value", pinned),
                        "position", 2, "surfaces", List.of("search")))
                .post("/v1/merchandising/rules").then().statusCode(201).extract().jsonPath().getLong("id");
        try {
            String shopper = user();
            await().atMost(EVENTUALLY).untilAsserted(() -> search(Map.of("limit", "4", "userId", shopper))
                    .body("items[1].productId", equalTo(pinned)));
            JsonPath answer = search(Map.of("limit", "4", "userId", shopper, "placement", "search-results"))
                    .extract().jsonPath();
            String recommId = answer.getString("recommId");

            Row row = await().atMost(EVENTUALLY).until(() -> servedList(recommId), r -> r != null);
            assertThat(row.getString("placement")).isEqualTo("search-results");
            assertThat(row.getString("surface")).isEqualTo("search");
            assertThat(row.getString("user_id")).isEqualTo(shopper);
            assertThat(row.getString("model_version")).isEqualTo(answer.getString("modelVersion"));
            assertThat(row.getInteger("first_position")).isEqualTo(1);
            assertThat(Arrays.asList(row.getArrayOfStrings("product_ids")))
                    .isEqualTo(answer.getList("items.productId", String.class));
            String[] rules = row.getArrayOfStrings("rule_ids");
            assertThat(IntStream.range(0, rules.length).mapToObj(i -> rules[i]).toList())
                    .containsExactly("", String.valueOf(ruleId), "", "");
        } finally {
            given().header("X-Actor", "test").delete("/v1/merchandising/rules/" + ruleId).then().statusCode(204);
        }
    }

    @Test
    void a_placement_that_is_not_a_simple_name_is_refused_naming_it() {
        given().queryParam("placement", "Home Feed").get("/v1/users/" + user() + "/feed").then().statusCode(400)
                .body("errors[0].field", equalTo("placement"));
        given().queryParam("q", "lamp").queryParam("placement", "x".repeat(65)).get("/v1/search").then().statusCode(400)
                .body("errors[0].field", equalTo("placement"));
        given().contentType(ContentType.JSON).body(Map.of("query", "a lamp", "placement", "-chat"))
                .post("/v1/assistant/suggestions").then().statusCode(400)
                .body("errors[0].field", equalTo("placement"));
    }

    // ---- helpers ----

    private Row servedList(String recommId) {
        var rows = pool.preparedQuery("SELECT * FROM served_lists WHERE recomm_id = $1").execute(Tuple.of(recommId))
                .await().atMost(Duration.ofSeconds(10));
        return rows.size() == 0 ? null : rows.iterator().next();
    }

    private static io.restassured.response.ValidatableResponse search(Map<String, String> params) {
        return given().queryParam("q", "lamp").queryParam("category", SHOP).queryParams(params).get("/v1/search")
                .then().statusCode(200);
    }

    private static String id(int i) {
        return "s" + i + "-" + SHOP;
    }

    private static String user() {
        return "u-" + UUID.randomUUID().toString().substring(0, 8);
    }
}

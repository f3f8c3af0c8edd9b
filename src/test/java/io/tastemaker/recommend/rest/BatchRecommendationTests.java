package io.tastemaker.recommend.rest;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;

/**
 * Several lists for one page view in one call, on the real runtime: no product twice on the
 * page (a pinned one included), each part answered or failed on its own, the envelope checked.
 * The shop lives under its own top category, so other tests' products never interfere.
 */
@QuarkusTest
class BatchRecommendationTests {

    private static final Duration EVENTUALLY = Duration.ofSeconds(60);
    private static final String SHOP = "Batch" + UUID.randomUUID().toString().substring(0, 8);
    private static final int PRODUCTS = 16;
    private static boolean catalogLoaded;

    @BeforeEach
    void loadCatalogOnce() {
        if (catalogLoaded) {
            return;
        }
        String[] kinds = {"table lamp", "floor lamp", "wool rug", "coffee mug"};
        for (int i = 0; i < PRODUCTS; i++) {
            String kind = kinds[i % kinds.length];
            given().contentType(ContentType.JSON)
                    .body(Map.of("title", "Batch " + kind + " no. " + i, "brand", "Brand" + (i % 5),
                            "categoryPath", List.of(SHOP, kind), "price", 20 + i, "currency", "USD"))
                    .put("/v1/catalog/products/" + id(i)).then().statusCode(202);
        }
        await().atMost(EVENTUALLY).untilAsserted(() -> given().queryParam("q", "lamp").queryParam("category", SHOP)
                .queryParam("limit", 100).get("/v1/search").then().statusCode(200)
                .body("items.size()", equalTo(PRODUCTS)));
        // a new shopper's feed comes from the new-arrivals shelf, which is read again every second in tests
        await().atMost(EVENTUALLY).untilAsserted(() -> given().queryParam("category", SHOP).queryParam("limit", 3)
                .get("/v1/users/batch-newcomer/feed").then().statusCode(200).body("items.size()", equalTo(3)));
        catalogLoaded = true;
    }

    @Test
    void with_distinct_no_product_appears_twice_and_later_parts_fill_from_further_candidates() {
        Map<String, Object> similar = part("similar", Map.of("productId", id(0), "limit", 5));
        JsonPath page = batch(Map.of("parts", List.of(similar, part("search", Map.of("q", "lamp", "limit", 5)),
                similar))).body("parts.status", equalTo(List.of(200, 200, 200))).extract().jsonPath();

        List<String> shown = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            List<String> ids = page.getList("parts[" + i + "].list.items.productId", String.class);
            assertThat(ids).as("part %d: a full page, not a shorter one", i).hasSize(5);
            shown.addAll(ids);
        }
        assertThat(new HashSet<>(shown)).as("products on the page").hasSize(15);
        // each part is a list answer of its own: its recommId, its placement (the surface's default here)
        assertThat(page.getList("parts.collect { it.list.placement }", String.class))
                .containsExactly("pdp-similar", "search", "pdp-similar");
        assertThat(new HashSet<>(page.getList("parts.collect { it.list.recommId }", String.class))).hasSize(3);
        // the first part is exactly its single-list answer; the third, asking the same, shows others
        List<String> alone = given().queryParam("category", SHOP).queryParam("limit", 5)
                .get("/v1/products/" + id(0) + "/similar").then().statusCode(200).extract().jsonPath()
                .getList("items.productId", String.class);
        assertThat(page.getList("parts[0].list.items.productId", String.class)).isEqualTo(alone);
        assertThat(page.getList("parts[2].list.items.productId", String.class)).doesNotContainAnyElementsOf(alone);
    }

    @Test
    void a_pinned_product_stays_with_the_first_part_that_shows_it() {
        String pinned = id(7);
        long ruleId = given().contentType(ContentType.JSON).header("X-Actor", "test")
                .body(Map.of("name", "Batch pin " + SHOP, "action", "pin", "match", Map.of("type", "product", "value", pinned),
                        "position", 1, "surfaces", List.of("similar", "search")))
                .post("/v1/merchandising/rules").then().statusCode(201).extract().jsonPath().getLong("id");
        try {
            Map<String, Object> body = Map.of("parts", List.of(
                    part("similar", Map.of("productId", id(0), "limit", 4)),
                    part("search", Map.of("q", "rug", "limit", 4))));
            await().atMost(EVENTUALLY).untilAsserted(() -> batch(body)
                    .body("parts[0].list.items[0].productId", equalTo(pinned)));
            ValidatableResponse answer = batch(body).body("parts[0].list.items[0].reasons.detail",
                    hasItem("pinned: Batch pin " + SHOP));
            List<String> search = answer.extract().jsonPath().getList("parts[1].list.items.productId", String.class);
            assertThat(search).hasSize(4).doesNotContain(pinned);

            // without distinct both parts show it, first
            batch(Map.of("distinct", false, "parts", body.get("parts")))
                    .body("parts.collect { it.list.items[0].productId }", equalTo(List.of(pinned, pinned)));
        } finally {
            given().header("X-Actor", "test").delete("/v1/merchandising/rules/" + ruleId).then().statusCode(204);
        }
    }

    @Test
    void a_part_that_fails_carries_its_own_problem_while_the_others_answer() {
        String shopper = "batch-" + UUID.randomUUID().toString().substring(0, 8);
        JsonPath page = batch(Map.of("userId", shopper, "distinct", false, "parts", List.of(
                part("feed", Map.of("limit", 3, "filters", Map.of("category", SHOP))),
                part("similar", Map.of("productId", "no-such-product-" + SHOP)),
                part("search", Map.of("q", "lamp", "limit", 0)),
                part("bestsellers", Map.of()),
                part("assistant", Map.of("query", "a mug under $30", "filters", Map.of("category", SHOP), "limit", 3)),
                part("search", Map.of("q", "rug", "placement", "Not A Placement")))))
                .body("parts.status", equalTo(List.of(200, 404, 400, 400, 200, 400)))
                .body("parts[0].list.items.size()", equalTo(3))
                .body("parts[0].problem", nullValue())
                .body("parts[1].list", nullValue())
                .body("parts[1].problem.status", equalTo(404))
                .body("parts[2].problem.errors[0].field", equalTo("parts[2].limit"))
                .body("parts[3].problem.errors[0].field", equalTo("parts[3].surface"))
                .body("parts[5].problem.errors[0].field", equalTo("parts[5].placement"))
                .extract().jsonPath();
        assertThat(page.getList("parts[4].list.items.price", Float.class)).isNotEmpty().allMatch(p -> p <= 30);

        // a feed needs its shopper, a similar part its product, typed fields their types; when no part
        // is answered the batch itself fails, naming every part's fields
        batchRequest().contentType(ContentType.JSON).body(json(Map.of("parts", List.of(part("feed", Map.of()),
                        part("similar", Map.of()), part("search", Map.of("q", "lamp", "limit", "many")),
                        Map.of("surface", List.of("feed")), "feed"))))
                .post("/v1/recommendations:batch").then().statusCode(400).contentType("application/problem+json")
                .body("title", equalTo("No part of the batch could be answered"))
                .body("parts.status", equalTo(List.of(400, 400, 400, 400, 400)))
                .body("errors.field",
                        equalTo(List.of("userId", "parts[1].productId", "parts[2].limit", "parts[3].surface", "parts[4]")));

        // parts failing differently: the highest status, each part's own problem kept
        batchRequest().contentType(ContentType.JSON).body(json(Map.of("parts", List.of(
                        part("similar", Map.of("productId", "no-such-product-" + SHOP)),
                        part("search", Map.of("q", "lamp", "limit", 0))))))
                .post("/v1/recommendations:batch").then().statusCode(404).contentType("application/problem+json")
                .body("parts.status", equalTo(List.of(404, 400)))
                .body("errors.field", equalTo(List.of("parts[1].limit")));
    }

    @Test
    void only_a_wrong_envelope_refuses_the_whole_batch() {
        List<Object> eleven = new ArrayList<>(Collections.nCopies(11, part("search", Map.of("q", "lamp"))));
        for (Object[] wrong : new Object[][]{
                {"[]", "body"},
                {"{}", "parts"},
                {"{\"parts\": []}", "parts"},
                {"{\"parts\": {\"surface\": \"feed\"}}", "parts"},
                {json(Map.of("parts", eleven)), "parts"},
                {"{\"distinct\": \"yes\", \"parts\": [{\"surface\": \"feed\"}]}", "distinct"},
                {"{\"userId\": 42, \"parts\": [{\"surface\": \"feed\"}]}", "userId"},
                {"{\"userId\": \"" + "x".repeat(300) + "\", \"parts\": [{\"surface\": \"feed\"}]}", "userId"}}) {
            batchRequest().contentType(ContentType.JSON).body((String) wrong[0]).post("/v1/recommendations:batch")
                    .then().statusCode(400).contentType("application/problem+json")
                    .body("errors[0].field", equalTo(wrong[1]));
        }
        batchRequest().contentType(ContentType.JSON).body(json(Map.of("parts", eleven.subList(0, 10))))
                .post("/v1/recommendations:batch").then().statusCode(200).body("parts.size()", equalTo(10));
    }

    @Test
    void the_storefront_key_may_ask_and_a_catalog_key_may_not() {
        String body = json(Map.of("parts", List.of(part("search", Map.of("q", "lamp", "limit", 2)))));
        batchRequest().header("Authorization", "Bearer " + io.tastemaker.testing.TestKeys.secret("storefront"))
                .contentType(ContentType.JSON).body(body).post("/v1/recommendations:batch")
                .then().statusCode(200).body("parts[0].status", equalTo(200));
        String catalogKey = given().contentType(ContentType.JSON)
                .body(Map.of("name", "batch-catalog-" + SHOP, "roles", List.of("catalog")))
                .post("/v1/admin/keys").then().statusCode(201).extract().path("secret");
        batchRequest().header("Authorization", "Bearer " + catalogKey)
                .contentType(ContentType.JSON).body(body).post("/v1/recommendations:batch")
                .then().statusCode(403);
    }

    private static Map<String, Object> part(String surface, Map<String, Object> fields) {
        Map<String, Object> part = new java.util.LinkedHashMap<>(fields);
        part.put("surface", surface);
        if (!surface.equals("feed") && !part.containsKey("filters")) {
            part.put("filters", Map.of("category", SHOP));
        }
        return part;
    }

    /** The colon goes as it is: percent-encoded ({@code %3A}, as RestAssured would send it) it names no endpoint. */
    private static io.restassured.specification.RequestSpecification batchRequest() {
        return given().urlEncodingEnabled(false);
    }

    private static ValidatableResponse batch(Map<String, Object> body) {
        return batchRequest().contentType(ContentType.JSON).body(json(body)).post("/v1/recommendations:batch")
                .then().statusCode(200);
    }

    private static String json(Object value) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String id(int i) {
        return "p" + i + "-" + SHOP;
    }
}

package io.tastemaker.recommend;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

/**
 * The storefront lists end to end on the real broker, PostgreSQL and model: blends of sources
 * with reasons, cold starts, filters, the assistant, merchandising rules going live and their
 * preview. The shop lives under its own top category, so other tests' products never interfere.
 */
@QuarkusTest
class BlendedRecommendationTests {

    private static final Duration EVENTUALLY = Duration.ofSeconds(60);
    private static final String SHOP = "Blend" + UUID.randomUUID().toString().substring(0, 8);
    /** title, brand, category under SHOP, price */
    private static final String[][] CATALOG = {
            {"Brass table lamp with a linen shade", "Lumo", "Lighting", "49"},
            {"Ceramic bedside lamp with warm light", "Lumo", "Lighting", "39"},
            {"Arc floor lamp for a reading corner", "Lumo", "Lighting", "129"},
            {"Rattan pendant ceiling light", "Lumo", "Lighting", "89"},
            {"Adjustable desk lamp with USB port", "Lumo", "Lighting", "35"},
            {"Smart LED bulb, dimmable", "Brite", "Lighting", "15"},
            {"Hand-woven wool area rug", "Weave", "Rugs", "240"},
            {"Washable cotton runner rug", "Weave", "Rugs", "60"},
            {"Stoneware coffee mug, 350 ml", "Cuppa", "Kitchen", "14"},
            {"Pour-over coffee dripper in ceramic", "Cuppa", "Kitchen", "22"},
            {"Chunky knit throw blanket", "Nest", "Textiles", "45"},
            {"Velvet cushion cover, set of two", "Nest", "Textiles", "24"},
    };
    private static boolean catalogLoaded;

    @BeforeEach
    void loadCatalogOnce() {
        if (catalogLoaded) {
            return;
        }
        for (int i = 0; i < CATALOG.length; i++) {
            putProduct(i);
        }
        awaitIndexed(CATALOG.length);
        catalogLoaded = true;
    }

    @Test
    void the_feed_blends_what_shoppers_chose_next_with_content_and_says_why() {
        // other shoppers who pinned the floor lamp went on to the wool rug
        for (int s = 0; s < 3; s++) {
            String shopper = user();
            post(event("pin", shopper, id(2), Instant.now().minusSeconds(60)), event("pin", shopper, id(6), Instant.now()));
        }
        String maya = user();
        post(event("pin", maya, id(2), Instant.now()));

        await().atMost(EVENTUALLY).untilAsserted(() -> feed(maya, Map.of("limit", "5"))
                .body("items[0].productId", equalTo(id(6)))
                // reasons are ordered by contribution: with the feed's similar weight the rug's likeness to the
                // lamp may come first, but what shoppers chose next is among them
                .body("items[0].reasons.find { it.source == 'coEngagement' }.detail",
                        equalTo("because you pinned Arc floor lamp for a reading corner")));
        feed(maya, Map.of("limit", "20"))
                .body("items.productId", not(hasItem(id(2)))) // just pinned: not shown again
                .body("items.reasons.flatten().source", hasItem("similar"));

        // "more like this" on the lamp: content neighbours and the rug shoppers chose after it
        similar(id(2), Map.of("limit", "12"))
                .body("items.productId", hasItem(id(6)))
                .body("items.productId", not(hasItem(id(2))))
                .body("items.find { it.productId == '" + id(6) + "' }.reasons.detail",
                        hasItem("often chosen after Arc floor lamp for a reading corner"));
    }

    @Test
    void items_of_one_feed_lead_with_what_sets_each_apart_not_all_with_the_same_reason() {
        // like demo-maya: she bought a throw and then clicked a floor lamp; shoppers who bought that throw
        // went on to the runner rug
        for (int s = 0; s < 3; s++) {
            String shopper = user();
            post(event("purchase", shopper, id(10), Instant.now().minusSeconds(60)),
                    event("pin", shopper, id(7), Instant.now()));
        }
        String maya = user();
        post(event("purchase", maya, id(10), Instant.now().minusSeconds(120)),
                event("click", maya, id(2), Instant.now().minusSeconds(60)));

        await().atMost(EVENTUALLY).untilAsserted(() -> feed(maya, Map.of("limit", "10")).statusCode(200)
                .body("items.find { it.productId == '" + id(7) + "' }.reasons.source", hasItem("coEngagement")));
        ValidatableResponse feed = feed(maya, Map.of("limit", "10")).statusCode(200)
                // the rug is about as like the lamp as most of the list; what sets it apart is what shoppers chose next
                .body("items.find { it.productId == '" + id(7) + "' }.reasons[0].detail",
                        equalTo("because you bought Chunky knit throw blanket"))
                .body("items.find { it.productId == '" + id(7) + "' }.reasons.source", hasItem("similar"))
                // the lamps' likeness to the lamp just clicked is above the list's typical level
                .body("items.find { it.productId == '" + id(0) + "' }.reasons[0].detail",
                        equalTo("like Arc floor lamp for a reading corner, which you clicked"));
        List<String> leads = feed.extract().jsonPath().getList("items.collect { it.reasons[0].detail }");
        assertThat(leads).hasSizeGreaterThan(5);
        assertThat(new java.util.HashSet<>(leads)).as("the first reasons of the feed's items").hasSizeGreaterThan(1);
    }

    @Test
    void shoppers_with_the_same_taste_bring_what_they_liked_when_a_storefront_weighs_them() {
        // two shoppers bought the mug and the dripper, then the cushion covers; Kim bought the mug and the dripper
        for (int s = 0; s < 2; s++) {
            String shopper = user();
            post(event("purchase", shopper, id(8), Instant.now().minusSeconds(120)),
                    event("purchase", shopper, id(9), Instant.now().minusSeconds(60)),
                    event("pin", shopper, id(11), Instant.now()));
        }
        String kim = user();
        post(event("purchase", kim, id(8), Instant.now().minusSeconds(60)), event("purchase", kim, id(9), Instant.now()));
        Map<String, String> likeMindedOnly = Map.of("limit", "10",
                "weights", "likeMinded:1,profile:0,similar:0,coEngagement:0,trending:0,fresh:0");

        await().atMost(EVENTUALLY).untilAsserted(() -> feed(kim, likeMindedOnly).statusCode(200)
                .body("items.productId", hasItem(id(11))));
        feed(kim, likeMindedOnly)
                .body("items.reasons.flatten().source", everyItem(equalTo("likeMinded")))
                .body("items.productId", not(hasItem(id(9)))) // what she bought is not offered again
                // the shared item that counts most is her most recent one
                .body("items.find { it.productId == '" + id(11) + "' }.reasons[0].detail",
                        equalTo("liked by shoppers who also bought Pour-over coffee dripper in ceramic"));
        // off by default: the configured feed does not ask the source
        feed(kim, Map.of("limit", "20")).statusCode(200)
                .body("items.reasons.flatten().source", not(hasItem("likeMinded")));
    }

    @Test
    void a_new_shopper_gets_trending_and_a_new_product_gets_content_neighbours() {
        for (int s = 0; s < 3; s++) {
            post(event("purchase", user(), id(9), Instant.now()));
        }
        await().atMost(EVENTUALLY).untilAsserted(() -> feed(user(), Map.of("limit", "3"))
                .body("items[0].productId", equalTo(id(9)))
                .body("items[0].reasons[0].source", equalTo("trending"))
                .body("items[0].reasons[0].detail", equalTo("trending in Kitchen")));

        String fresh = "new-" + UUID.randomUUID().toString().substring(0, 6) + "-" + SHOP;
        putProduct(fresh, "Linen floor lamp with a tripod base", "Lumo", "Lighting", "99");
        await().atMost(EVENTUALLY).untilAsserted(() -> similar(fresh, Map.of("limit", "3"))
                .body("items.size()", equalTo(3))
                .body("items.category", everyItem(equalTo(SHOP + " > Lighting")))
                .body("items[0].reasons[0].detail", equalTo("similar to Linen floor lamp with a tripod base")));
    }

    @Test
    void filters_and_exclusions_hold_for_every_source() {
        String shopper = user();
        post(event("pin", shopper, id(0), Instant.now().minusSeconds(5)), event("pin", shopper, id(1), Instant.now()));
        // the shopper's pins must have landed (a full feed alone does not say so: new arrivals fill it before)
        await().atMost(EVENTUALLY).untilAsserted(() -> given().get("/v1/users/" + shopper + "/profile").then()
                .statusCode(200).body("events", equalTo(2)));
        feed(shopper, Map.of("limit", "5")).body("items.size()", equalTo(5));

        ValidatableResponse cheap = feed(shopper, Map.of("maxPrice", "40", "exclude", id(4), "limit", "50"))
                .body("items.productId", not(hasItem(id(4))))
                .body("items.productId", not(hasItem(id(1))));
        assertThat(cheap.extract().jsonPath().getList("items.price", Double.class)).isNotEmpty().allMatch(p -> p <= 40);
        feed(shopper, Map.of("weights", "popularity:1")).statusCode(400)
                .body("errors[0].field", equalTo("weights"));
        // an experiment switching sources off still answers
        feed(shopper, Map.of("weights", "coEngagement:0,trending:0,profile:0,similar:1", "limit", "3"))
                .body("items.reasons.flatten().source", everyItem(equalTo("similar")));
    }

    @Test
    void the_assistant_turns_a_price_in_words_into_a_filter_and_blends_the_shoppers_taste() {
        String shopper = user();
        post(event("pin", shopper, id(10), Instant.now()));
        await().atMost(EVENTUALLY).untilAsserted(() -> given().get("/v1/users/" + shopper + "/profile").then()
                .statusCode(200));

        List<Double> prices = given().contentType(ContentType.JSON)
                .body(Map.of("userId", shopper, "query", "something cozy for a reading nook under $50",
                        "filters", Map.of("category", SHOP), "limit", 5))
                .post("/v1/assistant/suggestions")
                .then().statusCode(200)
                .body("items.size()", equalTo(5))
                .body("items.reasons.flatten().source", hasItem("query"))
                .body("items.reasons.flatten().source", hasItem("profile"))
                .body("rerank.applied", equalTo(false))
                .extract().jsonPath().getList("items.price", Double.class);
        assertThat(prices).allMatch(p -> p <= 50);

        given().contentType(ContentType.JSON).body(Map.of("query", " ")).post("/v1/assistant/suggestions")
                .then().statusCode(400).body("errors[0].field", equalTo("query"));
        given().contentType(ContentType.JSON)
                .body(Map.of("query", "lamp", "filters", Map.of("minPrice", 90, "maxPrice", 10)))
                .post("/v1/assistant/suggestions")
                .then().statusCode(400).body("errors[0].field", equalTo("filters.minPrice"));
        given().contentType(ContentType.JSON).body("{\"query\":\"lamp\",\"limit\":\"many\"}")
                .post("/v1/assistant/suggestions")
                .then().statusCode(400).body("errors[0].field", equalTo("limit"));
    }

    @Test
    void search_keeps_brands_diverse_within_every_ten_results() {
        List<String> brands = given().queryParam("q", "lamp light").queryParam("category", SHOP).queryParam("limit", 10)
                .get("/v1/search").then().statusCode(200).extract().jsonPath().getList("items.brand", String.class);

        assertThat(brands).hasSize(10);
        Map<String, Integer> counts = new HashMap<>();
        brands.forEach(b -> counts.merge(b, 1, Integer::sum));
        // five Lumo lamps are the best matches, but at most three of them may share ten places
        assertThat(counts.get("Lumo")).isEqualTo(3);
    }

    @Test
    void a_merchandising_rule_goes_live_with_its_reason_and_the_preview_attributes_its_effect() {
        String rug = id(7);
        Map<String, Object> draft = Map.of("name", "Rug week " + SHOP, "action", "pin",
                "match", Map.of("type", "product", "value", rug), "position", 1, "surfaces", List.of("search"));

        // preview first: the draft pins the rug on a lamp search, nothing is live yet
        given().contentType(ContentType.JSON)
                .body(Map.of("surface", "search", "query", "lamp " + SHOP, "limit", 5, "rules", List.of(draft),
                        "filters", Map.of("category", SHOP)))
                .post("/v1/merchandising/preview")
                .then().statusCode(200)
                .body("before.item.productId", not(hasItem(rug)))
                .body("after[0].item.productId", equalTo(rug))
                .body("after[0].item.reasons.detail", hasItem("pinned: Rug week " + SHOP))
                .body("effects.find { it.name == 'Rug week " + SHOP + "' }.draft", equalTo(true))
                .body("effects.find { it.name == 'Rug week " + SHOP + "' }.products[0].after", equalTo(1));
        search("lamp " + SHOP).body("items.productId", not(hasItem(rug)));

        long ruleId = given().contentType(ContentType.JSON).header("X-Actor", "test").body(draft)
                .post("/v1/merchandising/rules").then().statusCode(201).extract().jsonPath().getLong("id");
        try {
            await().atMost(EVENTUALLY).untilAsserted(() -> search("lamp " + SHOP)
                    .body("items[0].productId", equalTo(rug))
                    .body("items[0].reasons.detail", hasItem("pinned: Rug week " + SHOP)));
            // scoped to search: the feed is untouched
            feed(user(), Map.of("limit", "3")).body("items.reasons.flatten().detail", not(hasItem("pinned: Rug week " + SHOP)));
            // a preview of deleting it shows the rug gone again
            given().contentType(ContentType.JSON)
                    .body(Map.of("surface", "search", "query", "lamp " + SHOP, "limit", 5, "withoutRuleIds", List.of(ruleId),
                            "filters", Map.of("category", SHOP)))
                    .post("/v1/merchandising/preview")
                    .then().statusCode(200)
                    .body("before[0].item.productId", equalTo(rug))
                    .body("after.item.productId", not(hasItem(rug)));
        } finally {
            given().header("X-Actor", "test").delete("/v1/merchandising/rules/" + ruleId).then().statusCode(204);
        }
        given().contentType(ContentType.JSON).body(Map.of("surface", "feed", "rules", List.of()))
                .post("/v1/merchandising/preview").then().statusCode(400).body("errors[0].field", equalTo("userId"));
        given().contentType(ContentType.JSON).body(Map.of("surface", "search", "query", "x",
                        "rules", List.of(Map.of("name", "bad", "action", "bury", "factor", 3, "match",
                                Map.of("type", "brand", "value", "Lumo")))))
                .post("/v1/merchandising/preview").then().statusCode(400)
                .body("errors[0].field", equalTo("rules[0].factor"));
    }

    // ---- helpers ----

    private static ValidatableResponse feed(String userId, Map<String, String> params) {
        return given().queryParam("category", SHOP).queryParams(params).get("/v1/users/" + userId + "/feed").then();
    }

    private static ValidatableResponse similar(String productId, Map<String, String> params) {
        return given().queryParam("category", SHOP).queryParams(params).get("/v1/products/" + productId + "/similar")
                .then().statusCode(200);
    }

    private static ValidatableResponse search(String q) {
        return given().queryParam("q", q).queryParam("category", SHOP).queryParam("limit", 5).get("/v1/search")
                .then().statusCode(200);
    }

    private static void putProduct(int i) {
        String[] p = CATALOG[i];
        putProduct(id(i), p[0], p[1], p[2], p[3]);
    }

    private static void putProduct(String id, String title, String brand, String category, String price) {
        given().contentType(ContentType.JSON).body(Map.of("title", title, "brand", brand,
                        "categoryPath", List.of(SHOP, category), "price", Double.parseDouble(price), "currency", "USD"))
                .put("/v1/catalog/products/" + id).then().statusCode(202);
    }

    private static void awaitIndexed(int count) {
        await().atMost(EVENTUALLY).untilAsserted(() -> given().queryParam("q", "home").queryParam("category", SHOP)
                .queryParam("limit", 100).get("/v1/search").then().body("items.size()", equalTo(count)));
    }

    private static String id(int i) {
        return "p" + i + "-" + SHOP;
    }

    private static String user() {
        return "u-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static void post(String... events) {
        given().contentType(ContentType.JSON).body("{\"events\":[" + String.join(",", events) + "]}")
                .post("/v1/events").then().statusCode(202);
    }

    private static String event(String type, String userId, String productId, Instant at) {
        return "{\"eventId\":\"" + UUID.randomUUID() + "\",\"type\":\"" + type + "\",\"userId\":\"" + userId
                + "\",\"productId\":\"" + productId + "\",\"occurredAt\":\"" + at + "\"}";
    }

}

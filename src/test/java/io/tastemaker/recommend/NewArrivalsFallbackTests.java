package io.tastemaker.recommend;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.tastemaker.testing.SmallInstance;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
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
import static org.hamcrest.Matchers.startsWith;

/**
 * A shop whose products nobody engaged with yet (a new install, or a rebuild) still shows a new
 * shopper a feed: its new arrivals, in stock first and spread over categories, the request's
 * filters applied, each saying why; once shoppers engage, the usual sources lead.
 */
@QuarkusTest
@TestProfile(SmallInstance.class)
class NewArrivalsFallbackTests {

    private static final Duration EVENTUALLY = Duration.ofSeconds(60);
    /** A category of its own: nobody has engaged with anything in it, whatever other tests did. */
    private final String shop = "Fresh" + UUID.randomUUID().toString().substring(0, 8);

    @Test
    void a_new_shopper_in_a_shop_without_engagement_gets_its_new_arrivals_filtered_and_explained() {
        put("lamp-1", "Arc floor lamp", "Lighting", true);
        put("lamp-2", "Ceramic table lamp", "Lighting", true);
        put("lamp-3", "Brass wall sconce", "Lighting", false);
        put("rug-1", "Wool area rug", "Rugs", true);
        put("rug-2", "Jute runner", "Rugs", true);

        String newcomer = "newcomer-" + UUID.randomUUID().toString().substring(0, 8);
        await().atMost(EVENTUALLY).untilAsserted(() -> feed(newcomer, Map.of("category", shop))
                .body("items.size()", equalTo(5)));
        ValidatableResponse all = feed(newcomer, Map.of("category", shop))
                .body("items.reasons.flatten().source", everyItem(equalTo("fresh")))
                .body("items.reasons.flatten().detail", everyItem(startsWith("new in ")))
                .body("items.reasons.flatten().detail", hasItem("new in Lighting"));
        // spread over categories: the first two are not of one category
        List<String> categories = all.extract().jsonPath().getList("items.category", String.class);
        assertThat(categories.subList(0, 2)).containsExactlyInAnyOrder(shop + " > Lighting", shop + " > Rugs");

        // the request's filters hold: a category, and only what is in stock
        List<String> lamps = feed(newcomer, Map.of("category", shop + " > Lighting", "inStock", "true"))
                .body("items.reasons.flatten().detail", everyItem(equalTo("new in Lighting")))
                .extract().jsonPath().getList("items.productId", String.class);
        assertThat(lamps).containsExactlyInAnyOrder(id("lamp-1"), id("lamp-2"));
        feed(newcomer, Map.of("category", shop, "inStock", "true")).body("items.productId", not(hasItem(id("lamp-3"))))
                .body("items.size()", equalTo(4));

        // once shoppers engage, the usual sources lead and the new arrivals follow
        for (int s = 0; s < 3; s++) {
            String fan = "fan-" + s + "-" + shop;
            given().contentType(ContentType.JSON).body("{\"events\":[{\"eventId\":\"" + UUID.randomUUID()
                            + "\",\"type\":\"purchase\",\"userId\":\"" + fan + "\",\"productId\":\"" + id("rug-2")
                            + "\",\"sessionId\":\"s-" + fan + "\",\"occurredAt\":\"" + Instant.now() + "\"}]}")
                    .post("/v1/events").then().statusCode(202);
        }
        String later = "later-" + UUID.randomUUID().toString().substring(0, 8);
        await().atMost(EVENTUALLY).untilAsserted(() -> feed(later, Map.of("category", shop))
                .body("items[0].productId", equalTo(id("rug-2")))
                .body("items[0].reasons[0].source", equalTo("trending"))
                .body("items.size()", equalTo(5))
                .body("items[1].reasons[0].source", equalTo("fresh")));
    }

    private void put(String name, String title, String category, boolean inStock) {
        given().contentType(ContentType.JSON).body(Map.of("title", title, "brand", "Nook", "categoryPath", List.of(shop, category),
                        "price", 60, "currency", "USD", "inStock", inStock))
                .put("/v1/catalog/products/" + id(name)).then().statusCode(202);
    }

    private String id(String name) {
        return name + "-" + shop;
    }

    private static ValidatableResponse feed(String userId, Map<String, String> params) {
        return given().queryParams(params).queryParam("limit", 10).get("/v1/users/" + userId + "/feed").then().statusCode(200);
    }
}

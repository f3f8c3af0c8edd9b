package io.tastemaker.recommend.neighbours;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.tastemaker.embedding.ActiveModel;
import io.tastemaker.recommend.sources.NeighbourLists;
import io.tastemaker.recommend.sources.Neighbours;
import io.tastemaker.testing.TestKeys;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.hasItem;

/**
 * The neighbour lists in the running service, on the real model, broker and PostgreSQL: built in
 * the background once "more like this" is asked for, used by it, and updated as soon as the
 * pipeline embeds a new product (not at the next rebuild, an hour away).
 */
@QuarkusTest
class PrecomputedNeighboursTests {

    private static final Duration EVENTUALLY = Duration.ofSeconds(60);
    private static final String SHOP = "Near" + UUID.randomUUID().toString().substring(0, 8);

    @Inject
    PrecomputedNeighbours neighbours;
    @Inject
    ActiveModel model;

    @Test
    void lists_are_built_ahead_of_requests_and_a_new_product_joins_its_neighbours_lists_at_once() {
        putProduct(id("lamp"), "Brass table lamp with a linen shade " + SHOP); // words no other test's product has
        putProduct(id("rug"), "Hand-woven wool area rug");
        putProduct(id("mug"), "Stoneware coffee mug, 350 ml");
        await().atMost(EVENTUALLY).untilAsserted(() -> similar(id("rug")).statusCode(200));

        NeighbourLists lists = neighbours.of(model.serving());
        await().atMost(EVENTUALLY).untilAsserted(() -> assertThat(lists.of(id("lamp"), 2)).as("the lamp's list").isNotNull());
        double keptBefore = keptLookups();
        similar(id("lamp")).statusCode(200);
        assertThat(keptLookups()).as("\"more like this\" read the kept list").isGreaterThan(keptBefore);

        // a new lamp, almost the same words: embedded by the pipeline, it leads the first lamp's list
        putProduct(id("lamp-2"), "Brass table lamp with a linen shade " + SHOP + ", large");
        await().atMost(EVENTUALLY).untilAsserted(() -> {
            Neighbours ofLamp = lists.of(id("lamp"), 2);
            assertThat(ofLamp.ids()[0]).isEqualTo(id("lamp-2"));
        });
        Neighbours ofNew = lists.of(id("lamp-2"), 2);
        assertThat(ofNew).as("the new product's own list").isNotNull();
        assertThat(Arrays.asList(ofNew.ids())).contains(id("lamp")).doesNotContain(id("lamp-2"));
        similar(id("lamp")).statusCode(200).body("items.productId", hasItem(id("lamp-2")));
    }

    private static double keptLookups() {
        String metrics = TestKeys.management().get("/q/metrics").then().statusCode(200).extract().asString();
        return metrics.lines().filter(l -> l.startsWith("tastemaker_neighbours_lookups_total{") && l.contains("result=\"kept\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    private static io.restassured.response.ValidatableResponse similar(String productId) {
        return given().queryParam("limit", 5).get("/v1/products/" + productId + "/similar").then();
    }

    private static void putProduct(String id, String title) {
        given().contentType(ContentType.JSON).body(Map.of("title", title, "brand", "Lumo",
                        "categoryPath", List.of(SHOP, "Home"), "price", 40.0, "currency", "USD"))
                .put("/v1/catalog/products/" + id).then().statusCode(202);
    }

    private static String id(String name) {
        return name + "-" + SHOP;
    }
}

package io.tastemaker.models.training;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/** The training-pair export: co-engagement from real events, with the texts the model embeds. */
@QuarkusTest
class TrainingDataTests {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final String shop = "Pairs" + UUID.randomUUID().toString().substring(0, 8);

    @Test
    void exports_what_shoppers_engaged_with_next_as_ndjson_with_product_texts() throws Exception {
        String lamp = "lamp-" + shop;
        String rug = "rug-" + shop;
        put(lamp, "Arc floor lamp", "Lumo");
        put(rug, "Wool area rug", "Weave");
        for (int s = 0; s < 3; s++) {
            String shopper = "u-" + UUID.randomUUID().toString().substring(0, 8);
            post(event("pin", shopper, lamp, Instant.now().minusSeconds(30)), event("pin", shopper, rug, Instant.now()));
        }

        await().atMost(Duration.ofSeconds(60)).until(() -> pairs(Map.of("minWeight", "1")).stream()
                .anyMatch(p -> p.path("anchorId").asText().equals(lamp) && p.path("positiveId").asText().equals(rug)));
        JsonNode pair = pairs(Map.of("minWeight", "1")).stream()
                .filter(p -> p.path("anchorId").asText().equals(lamp) && p.path("positiveId").asText().equals(rug))
                .findFirst().orElseThrow();
        assertThat(pair.path("anchorText").asText()).startsWith("Arc floor lamp. Brand: Lumo. Category: " + shop);
        assertThat(pair.path("positiveText").asText()).startsWith("Wool area rug. Brand: Weave.");
        assertThat(pair.path("weight").asDouble()).isGreaterThanOrEqualTo(3);
        assertThat(pair.path("source").asText()).isEqualTo("co-engagement");

        assertThat(pairs(Map.of("minWeight", "1", "limit", "1"))).hasSize(1);
        assertThat(pairs(Map.of("minWeight", "1000000"))).isEmpty();
        given().queryParam("minWeight", "-1").get("/v1/training-data/pairs").then().statusCode(400)
                .body("errors[0].field", equalTo("minWeight"));
        given().queryParam("limit", "0").get("/v1/training-data/pairs").then().statusCode(400)
                .body("errors[0].field", equalTo("limit"));
    }

    @Test
    void exports_the_words_shoppers_searched_for_with_the_product_they_engaged_with_from_them() throws Exception {
        String lamp = "reading-lamp-" + shop;
        put(lamp, "Brass reading lamp", "Lumo");
        String words = "warm lamp for reading " + shop.toLowerCase();
        post(event("click", "u-" + UUID.randomUUID().toString().substring(0, 8), lamp, Instant.now(),
                        "  Warm  lamp for READING " + shop + " "),
                event("pin", "u-" + UUID.randomUUID().toString().substring(0, 8), lamp, Instant.now(), words),
                // a hide is no evidence the words fit the product
                event("hide", "u-" + UUID.randomUUID().toString().substring(0, 8), lamp, Instant.now(), "cold lamp " + shop));

        await().atMost(Duration.ofSeconds(60)).until(() -> pairs(Map.of("source", "query", "minWeight", "0")).stream()
                .anyMatch(p -> p.path("anchorText").asText().equals(words)));
        List<JsonNode> mine = pairs(Map.of("source", "query", "minWeight", "0")).stream()
                .filter(p -> p.path("positiveId").asText().equals(lamp)).toList();
        assertThat(mine).hasSize(1); // both spellings of the words are one query; the hide made none
        JsonNode pair = mine.get(0);
        assertThat(pair.has("anchorId")).isTrue();
        assertThat(pair.get("anchorId").isNull()).isTrue();
        assertThat(pair.path("positiveText").asText()).startsWith("Brass reading lamp. Brand: Lumo.");
        assertThat(pair.path("weight").asDouble()).isGreaterThan(1); // a click and a pin
        assertThat(pair.path("source").asText()).isEqualTo("query");
        assertThat(pairs(Map.of("source", "co-engagement", "minWeight", "0")))
                .noneMatch(p -> p.path("source").asText().equals("query"));
        assertThat(pairs(Map.of("minWeight", "0"))).anyMatch(p -> p.path("anchorText").asText().equals(words));

        given().queryParam("source", "clicks").get("/v1/training-data/pairs").then().statusCode(400)
                .body("errors[0].field", equalTo("source"));
        given().contentType(ContentType.JSON).body("{\"events\":[" + event("click", "u-1", lamp, Instant.now(),
                "x".repeat(300)) + "]}").post("/v1/events").then().statusCode(400)
                .body("errors[0].field", equalTo("events[0].query"));
    }

    private static List<JsonNode> pairs(Map<String, String> params) throws Exception {
        var response = given().queryParams(params).get("/v1/training-data/pairs").then().statusCode(200)
                .contentType("application/x-ndjson").extract().asString();
        List<JsonNode> lines = new ArrayList<>();
        for (String line : response.split("\n")) {
            if (!line.isBlank()) {
                lines.add(JSON.readTree(line));
            }
        }
        return lines;
    }

    private void put(String id, String title, String brand) {
        given().contentType(ContentType.JSON).body(Map.of("title", title, "brand", brand, "categoryPath", List.of(shop),
                "price", 30, "currency", "USD")).put("/v1/catalog/products/" + id).then().statusCode(202);
    }

    private static void post(String... events) {
        given().contentType(ContentType.JSON).body("{\"events\":[" + String.join(",", events) + "]}")
                .post("/v1/events").then().statusCode(202);
    }

    private static String event(String type, String userId, String productId, Instant at) {
        return "{\"eventId\":\"" + UUID.randomUUID() + "\",\"type\":\"" + type + "\",\"userId\":\"" + userId
                + "\",\"productId\":\"" + productId + "\",\"occurredAt\":\"" + at + "\"}";
    }

    private static String event(String type, String userId, String productId, Instant at, String query) {
        return event(type, userId, productId, at).replace("\"occurredAt\"", "\"query\":\"" + query + "\",\"occurredAt\"");
    }
}

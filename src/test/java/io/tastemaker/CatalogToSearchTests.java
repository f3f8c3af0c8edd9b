package io.tastemaker;

import io.tastemaker.testing.TestKeys;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.tastemaker.streams.ConsumerLoop;
import io.tastemaker.streams.KafkaClients;
import io.tastemaker.streams.Topics;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;

/**
 * The whole slice, on a real Kafka broker, a real PostgreSQL and the real bge model: catalog
 * writes (REST, NDJSON import, records written to the topic directly) become products in
 * PostgreSQL and vectors in the index, searchable and similar-able. Each test uses its own
 * brand, so tests sharing the running service do not see each other's products.
 */
@QuarkusTest
class CatalogToSearchTests {

    private static final Duration EVENTUALLY = Duration.ofSeconds(60);

    @Inject
    KafkaClients kafka;

    @Inject
    Topics topics;

    private final String brand = "Brand" + UUID.randomUUID().toString().substring(0, 8);

    @Test
    void an_imported_catalog_becomes_searchable_and_rejected_lines_are_reported() {
        String ndjson = String.join("\n",
                product("chess-" + brand, "Hand-carved wooden chess set with walnut and maple pieces", "Toys/Board Games", "89.00"),
                product("kettle-" + brand, "Gooseneck electric kettle for pour-over coffee", "Kitchen/Coffee", "59.99"),
                "{\"id\":\"broken-" + brand + "\",\"title\":\"No price\",\"categoryPath\":[\"Home\"],\"currency\":\"USD\"}",
                "",
                product("tent-" + brand, "Ultralight two-person backpacking tent", "Outdoor/Camping", "249"),
                "this is not json");

        given().urlEncodingEnabled(false).contentType("application/x-ndjson").body(ndjson.getBytes(StandardCharsets.UTF_8))
                .when().post("/v1/catalog/products:import")
                .then().statusCode(202)
                .body("accepted", equalTo(3))
                .body("rejected", equalTo(2))
                .body("rejects.line", contains(3, 6))
                .body("rejects[0].reason", containsString("price"))
                .body("rejects[1].reason", containsString("not JSON"));

        awaitSearch("wooden chess board game", Map.of("brand", brand))
                .body("items[0].productId", equalTo("chess-" + brand));
        search("coffee kettle", Map.of("brand", brand))
                .body("items[0].productId", equalTo("kettle-" + brand))
                .body("items[0].title", equalTo("Gooseneck electric kettle for pour-over coffee"))
                .body("items[0].category", equalTo("Kitchen > Coffee"))
                .body("items[0].price", equalTo(59.99f))
                .body("items[0].currency", equalTo("USD"))
                .body("items[0].reasons[0].source", equalTo("query"))
                .body("modelVersion", equalTo("bge-small-en-v1.5-q"))
                .body("rerank.applied", equalTo(false));
        given().get("/v1/catalog/products/tent-" + brand).then().statusCode(200)
                .body("title", equalTo("Ultralight two-person backpacking tent"))
                .body("categoryPath", contains("Outdoor", "Camping"));
        given().get("/v1/catalog/products/broken-" + brand).then().statusCode(404);
    }

    @Test
    void similar_products_exclude_the_product_itself_and_honour_filters() {
        importAll(
                product("lamp1-" + brand, "Brass table lamp with linen shade", "Home/Lighting", "79"),
                product("lamp2-" + brand, "Ceramic bedside table lamp with linen drum shade", "Home/Lighting", "49"),
                product("lamp3-" + brand, "Walnut desk lamp with brass arm", "Home/Lighting", "129"),
                product("skillet-" + brand, "Cast iron skillet, pre-seasoned", "Kitchen/Cookware", "39"));
        awaitSearch("cast iron pan", Map.of("brand", brand));
        await().atMost(EVENTUALLY).untilAsserted(() -> similar("lamp1-" + brand, Map.of("brand", brand))
                .body("items", hasSize(3)));

        similar("lamp1-" + brand, Map.of("brand", brand))
                .body("items.productId", not(hasItem("lamp1-" + brand)))
                .body("items[0].productId", equalTo("lamp2-" + brand))
                .body("items[2].productId", equalTo("skillet-" + brand))
                .body("items[0].reasons[0].source", equalTo("similar"));
        similar("lamp1-" + brand, Map.of("brand", brand, "maxPrice", "100"))
                .body("items.productId", contains("lamp2-" + brand, "skillet-" + brand));
        similar("lamp1-" + brand, Map.of("brand", brand, "category", "lighting"))
                .body("items.productId", contains("lamp2-" + brand, "lamp3-" + brand));
    }

    @Test
    void an_update_changes_results_and_a_price_change_reuses_the_vector() {
        String id = "item-" + brand;
        put(id, product(id, "Red ceramic teapot with bamboo handle", "Kitchen/Tea", "35"));
        awaitSearch("teapot", Map.of("brand", brand)).body("items[0].productId", equalTo(id));

        put(id, product(id, "Chunky wool winter scarf", "Accessories/Scarves", "35"));
        await().atMost(EVENTUALLY).untilAsserted(() -> search("warm scarf", Map.of("brand", brand))
                .body("items[0].title", equalTo("Chunky wool winter scarf")));
        search("teapot", Map.of("brand", brand, "category", "Kitchen")).body("items", empty());
        given().get("/v1/catalog/products/" + id).then().body("title", equalTo("Chunky wool winter scarf"));

        double reusedBefore = metric("tastemaker_embedding_reused_total");
        put(id, product(id, "Chunky wool winter scarf", "Accessories/Scarves", "19.5"));
        await().atMost(EVENTUALLY).untilAsserted(() -> search("warm scarf", Map.of("brand", brand))
                .body("items[0].price", equalTo(19.5f)));
        assertThat(metric("tastemaker_embedding_reused_total")).isGreaterThan(reusedBefore);
    }

    @Test
    void a_delete_removes_the_product_everywhere() {
        String id = "gone-" + brand;
        put(id, product(id, "Speckled stoneware coffee mug", "Kitchen/Mugs", "18"));
        awaitSearch("coffee mug", Map.of("brand", brand));

        given().delete("/v1/catalog/products/" + id).then().statusCode(202);

        await().atMost(EVENTUALLY).untilAsserted(() -> search("coffee mug", Map.of("brand", brand)).body("items", empty()));
        await().atMost(EVENTUALLY).untilAsserted(() -> given().get("/v1/catalog/products/" + id).then().statusCode(404));
        given().get("/v1/products/" + id + "/similar").then().statusCode(404)
                .contentType("application/problem+json");
    }

    @Test
    void a_malformed_record_goes_to_the_dead_letter_topic_and_its_neighbours_still_land() throws Exception {
        var producer = kafka.producer();
        String good1 = "good1-" + brand;
        String good2 = "good2-" + brand;
        producer.send(new ProducerRecord<>(topics.catalog(), good1, upsertRecord(good1, "Linen duvet cover set"))).get();
        producer.send(new ProducerRecord<>(topics.catalog(), "bad1-" + brand, "{not json")).get();
        producer.send(new ProducerRecord<>(topics.catalog(), "bad2-" + brand,
                upsertRecord("bad2-" + brand, "Negative price").replace("\"price\":25", "\"price\":-3"))).get();
        producer.send(new ProducerRecord<>(topics.catalog(), "other-key-" + brand,
                upsertRecord("bad3-" + brand, "Key mismatch"))).get();
        producer.send(new ProducerRecord<>(topics.catalog(), good2, upsertRecord(good2, "Waffle weave cotton quilt"))).get();

        Map<String, String> reasons = deadLetterReasons(3);
        assertThat(reasons.get("bad1-" + brand)).contains("value").contains("not JSON");
        assertThat(reasons.get("bad2-" + brand)).contains("product.price").contains("negative");
        assertThat(reasons.get("other-key-" + brand)).contains("key");

        await().atMost(EVENTUALLY).untilAsserted(() -> {
            given().get("/v1/catalog/products/" + good1).then().statusCode(200);
            given().get("/v1/catalog/products/" + good2).then().statusCode(200);
        });
        awaitSearch("quilt", Map.of("brand", brand)).body("items", hasSize(2));
        given().get("/v1/catalog/products/bad2-" + brand).then().statusCode(404);
    }

    @Test
    void search_pages_with_an_opaque_cursor() {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            lines.add(product("page" + i + "-" + brand, "Scented soy candle number " + i, "Home/Fragrance", "12"));
        }
        importAll(lines.toArray(String[]::new));
        await().atMost(EVENTUALLY).untilAsserted(() -> search("candle", Map.of("brand", brand)).body("items", hasSize(5)));

        var first = search("candle", Map.of("brand", brand, "limit", "2")).body("items", hasSize(2)).extract();
        String cursor = first.path("nextCursor");
        var second = search("candle", Map.of("brand", brand, "limit", "2", "cursor", cursor)).body("items", hasSize(2)).extract();
        var third = search("candle", Map.of("brand", brand, "limit", "2", "cursor", second.path("nextCursor")))
                .body("items", hasSize(1)).body("nextCursor", equalTo(null)).extract();

        List<String> seen = new ArrayList<>();
        seen.addAll(first.path("items.productId"));
        seen.addAll(second.path("items.productId"));
        seen.addAll(third.path("items.productId"));
        assertThat(seen).doesNotHaveDuplicates().hasSize(5);
    }

    // ---- helpers --------------------------------------------------------------

    private String product(String id, String title, String path, String price) {
        String categories = "\"" + String.join("\",\"", path.split("/")) + "\"";
        return "{\"id\":\"" + id + "\",\"title\":\"" + title + "\",\"brand\":\"" + brand + "\",\"categoryPath\":["
                + categories + "],\"price\":" + price + ",\"currency\":\"USD\",\"inStock\":true}";
    }

    private String upsertRecord(String id, String title) {
        return "{\"schema\":1,\"op\":\"upsert\",\"product\":{\"id\":\"" + id + "\",\"title\":\"" + title
                + "\",\"brand\":\"" + brand + "\",\"categoryPath\":[\"Home\",\"Bedding\"],\"price\":25,\"currency\":\"USD\"}}";
    }

    private void importAll(String... lines) {
        given().urlEncodingEnabled(false).contentType("application/x-ndjson").body(String.join("\n", lines).getBytes(StandardCharsets.UTF_8))
                .post("/v1/catalog/products:import").then().statusCode(202).body("rejected", equalTo(0));
    }

    private void put(String id, String json) {
        given().contentType(ContentType.JSON).body(json).put("/v1/catalog/products/" + id).then().statusCode(202);
    }

    private ValidatableResponse search(String q, Map<String, String> params) {
        return given().queryParam("q", q).queryParams(params).get("/v1/search").then().statusCode(200);
    }

    private ValidatableResponse awaitSearch(String q, Map<String, String> params) {
        await().atMost(EVENTUALLY).untilAsserted(() -> search(q, params).body("items", not(empty())));
        return search(q, params);
    }

    private ValidatableResponse similar(String id, Map<String, String> params) {
        return given().queryParams(params).get("/v1/products/" + id + "/similar").then().statusCode(200);
    }

    private static double metric(String name) {
        String body = TestKeys.management().get("/q/metrics").then().statusCode(200).extract().asString();
        return body.lines().filter(l -> l.startsWith(name)).mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .sum();
    }

    /** Reads the dead-letter topic until {@code expected} records of this test's brand arrived. */
    private Map<String, String> deadLetterReasons(int expected) {
        Map<String, String> reasons = new HashMap<>();
        try (KafkaConsumer<String, String> consumer = kafka.consumer("test-dlq-" + brand, 500)) {
            consumer.assign(List.of(new TopicPartition(topics.catalogDeadLetters(), 0)));
            consumer.seekToBeginning(consumer.assignment());
            long deadline = System.currentTimeMillis() + EVENTUALLY.toMillis();
            while (reasons.size() < expected && System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    if (r.key() != null && r.key().endsWith(brand)) {
                        reasons.put(r.key(), new String(r.headers().lastHeader(ConsumerLoop.REASON_HEADER).value(),
                                StandardCharsets.UTF_8));
                    }
                }
            }
        }
        assertThat(reasons).hasSize(expected);
        return reasons;
    }
}

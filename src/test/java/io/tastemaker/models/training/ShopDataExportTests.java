package io.tastemaker.models.training;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.tastemaker.evaluation.Datasets;
import io.tastemaker.evaluation.Interactions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The shop's own data for {@code evaluate}: products with the text the service embeds, each
 * shopper's recent engagement under a pseudonym, erased shoppers left out, and the two files read
 * back by the evaluation's reader.
 */
@QuarkusTest
class ShopDataExportTests {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final String shop = "Export" + UUID.randomUUID().toString().substring(0, 8);

    @Test
    void exports_engagement_and_products_that_evaluate_reads_back_without_erased_shoppers(@TempDir Path dir)
            throws Exception {
        String lamp = "lamp-" + shop;
        String rug = "rug-" + shop;
        String sofa = "sofa-" + shop;
        String vase = "vase-" + shop;
        put(lamp, "Arc floor lamp", "Lumo");
        put(rug, "Wool area rug", "Weave");
        put(sofa, "Linen sofa", "Loom");
        put(vase, "Glass vase", "Clear");
        String anna = "u-anna-" + shop;
        String ben = "u-ben-" + shop;
        String erased = "u-erased-" + shop;
        Instant t = Instant.parse("2026-12-01T10:00:00Z");
        post(event("click", anna, rug, t.plusSeconds(60)), event("view", anna, lamp, t),
                event("hide", anna, sofa, t.plusSeconds(90)), event("purchase", ben, sofa, t),
                event("view", erased, vase, t));

        await().atMost(Duration.ofSeconds(60)).until(() -> mine(engagement()).size() == 4);
        given().delete("/v1/users/" + erased).then().statusCode(200);

        List<JsonNode> lines = mine(engagement());
        assertThat(lines).extracting(l -> l.path("productId").asText()).containsExactlyInAnyOrder(lamp, rug, sofa);
        JsonNode first = lines.stream().filter(l -> l.path("productId").asText().equals(lamp)).findFirst().orElseThrow();
        JsonNode second = lines.stream().filter(l -> l.path("productId").asText().equals(rug)).findFirst().orElseThrow();
        assertThat(first.path("type").asText()).isEqualTo("view");
        assertThat(first.path("occurredAt").asText()).isEqualTo(t.toString());
        assertThat(second.path("shopper").asText()).isEqualTo(first.path("shopper").asText()).startsWith("s-")
                .doesNotContain("anna");
        assertThat(lines.indexOf(first)).isLessThan(lines.indexOf(second)); // oldest first
        // a pseudonym holds within one export only
        assertThat(mine(engagement())).extracting(l -> l.path("shopper").asText())
                .doesNotContain(first.path("shopper").asText());
        assertThat(String.join("\n", text("/v1/training-data/engagement"))).doesNotContain(anna, ben, erased);

        List<JsonNode> products = lines("/v1/training-data/products");
        JsonNode lampLine = products.stream().filter(p -> p.path("productId").asText().equals(lamp)).findFirst()
                .orElseThrow();
        assertThat(lampLine.path("text").asText()).startsWith("Arc floor lamp. Brand: Lumo. Category: " + shop);

        // round trip: saved as downloaded (one of them gzipped), read by evaluate's reader
        Files.write(dir.resolve("engagement.ndjson"), text("/v1/training-data/engagement"), StandardCharsets.UTF_8);
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(dir.resolve("products.ndjson.gz")))) {
            out.write(String.join("\n", text("/v1/training-data/products")).getBytes(StandardCharsets.UTF_8));
        }
        Datasets.Dataset read = Datasets.read(dir, Datasets.Options.DEFAULT);
        assertThat(read.layout()).isEqualTo(Datasets.Layout.EXPORT);
        Interactions data = read.interactions();
        assertThat(data.itemCount()).isEqualTo(products.size());
        int lampItem = item(data, "Arc floor lamp. Brand: Lumo. Category: " + shop);
        int rugItem = item(data, "Wool area rug. Brand: Weave. Category: " + shop);
        int vaseItem = item(data, "Glass vase. Brand: Clear. Category: " + shop);
        assertThat(data.sequences()).anySatisfy(s -> assertThat(s).containsExactly(lampItem, rugItem));
        assertThat(data.sequences()).noneSatisfy(s -> assertThat(s).contains(vaseItem));
    }

    private static int item(Interactions data, String textPrefix) {
        return data.titles().entrySet().stream().filter(e -> e.getValue().startsWith(textPrefix))
                .map(Map.Entry::getKey).findFirst().orElseThrow();
    }

    private List<JsonNode> mine(List<JsonNode> lines) {
        return lines.stream().filter(l -> l.path("productId").asText().endsWith(shop)).toList();
    }

    private static List<JsonNode> engagement() throws Exception {
        return lines("/v1/training-data/engagement");
    }

    private static List<JsonNode> lines(String path) throws Exception {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : text(path)) {
            lines.add(JSON.readTree(line));
        }
        return lines;
    }

    private static List<String> text(String path) {
        String body = given().get(path).then().statusCode(200).contentType("application/x-ndjson").extract().asString();
        return body.lines().filter(l -> !l.isBlank()).toList();
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
}

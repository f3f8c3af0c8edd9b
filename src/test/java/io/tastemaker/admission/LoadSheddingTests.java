package io.tastemaker.admission;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.tastemaker.rerank.ScriptedLlmServer;
import io.tastemaker.testing.SmallInstance;
import io.tastemaker.testing.TestKeys;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/**
 * Beyond its capacity an instance refuses lists at once (503, Retry-After) and keeps serving the
 * ones it admitted. The admitted ones are held in flight by the scripted LLM server, which does
 * not answer until the test lets it, so "in flight" is a state the test controls, not a timing.
 */
@QuarkusTest
@TestProfile(SmallInstance.class)
class LoadSheddingTests {

    private static final Duration EVENTUALLY = Duration.ofSeconds(60);
    private static final String SHOP = "Shed" + UUID.randomUUID().toString().substring(0, 8);
    private static final String[] TITLES = {"Brass reading lamp", "Velvet armchair", "Knit throw blanket",
            "Oak bookshelf", "Ceramic table lamp", "Wool area rug", "Corduroy floor cushion", "Walnut side table"};
    private static ScriptedLlmServer llm;

    @BeforeAll
    static void startLlm() throws IOException {
        llm = new ScriptedLlmServer(SmallInstance.LLM_PORT);
    }

    @AfterAll
    static void stopLlm() {
        llm.close();
    }

    @Test
    void beyond_its_capacity_an_instance_refuses_lists_at_once_and_serves_the_ones_it_admitted() throws Exception {
        for (int i = 0; i < TITLES.length; i++) {
            given().contentType(ContentType.JSON).body(Map.of("title", TITLES[i], "brand", "Nook",
                            "categoryPath", List.of(SHOP, "Living"), "price", 50, "currency", "USD"))
                    .put("/v1/catalog/products/s" + i + "-" + SHOP).then().statusCode(202);
        }
        await().atMost(EVENTUALLY).untilAsserted(() -> search("home " + UUID.randomUUID()).then().statusCode(200)
                .body("items.size()", equalTo(TITLES.length)));

        CountDownLatch release = new CountDownLatch(1);
        llm.reset();
        llm.script(call -> {
            try {
                release.await(2, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return ScriptedLlmServer.REVERSE.apply(call);
        });
        int sent = 0;
        int ok = 0;
        int refused = 0;
        List<CompletableFuture<HttpResponse<String>>> admitted = new ArrayList<>();
        try {
            for (int i = 0; i < SmallInstance.LISTS_IN_FLIGHT; i++) {
                admitted.add(searchAsync("cozy reading corner " + i));
                sent++;
            }
            // both admitted lists are now waiting for the model: the instance is full
            await().atMost(EVENTUALLY).until(() -> llm.calls().size() == SmallInstance.LISTS_IN_FLIGHT);

            for (int i = 0; i < 5; i++) {
                Response excess = search("one too many " + i);
                sent++;
                assertThat(excess.statusCode()).isEqualTo(503);
                assertThat(excess.header("Retry-After")).isEqualTo("1");
                assertThat(excess.contentType()).startsWith("application/problem+json");
                assertThat(excess.jsonPath().getString("detail")).contains("lists");
                refused++;
            }
            // other work is not a list: the catalog still answers
            given().get("/v1/catalog/products/s0-" + SHOP).then().statusCode(200);
        } finally {
            release.countDown();
        }
        for (CompletableFuture<HttpResponse<String>> answer : admitted) {
            HttpResponse<String> response = answer.get(2, TimeUnit.MINUTES);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).contains("s0-" + SHOP);
            ok++;
        }
        llm.reset();
        // the places are given back
        await().atMost(EVENTUALLY).untilAsserted(() -> search("after the rush").then().statusCode(200));
        String metrics = TestKeys.management().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(shed(metrics)).isGreaterThanOrEqualTo(refused);
        System.out.printf("FAULT_MATRIX fault=overload-lists sent=%d ok2xx=%d err4xx=0 err5xx=%d%n", sent, ok, refused);
    }

    private static double shed(String metrics) {
        return metrics.lines()
                .filter(l -> l.startsWith("tastemaker_admission_shed_total{") && l.contains("class=\"lists\"")
                        && l.contains("reason=\"capacity\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    private static Response search(String words) {
        return given().queryParam("q", words).queryParam("category", SHOP).queryParam("limit", 8).get("/v1/search");
    }

    private static CompletableFuture<HttpResponse<String>> searchAsync(String words) {
        URI uri = URI.create("http://localhost:" + RestAssured.port + "/v1/search?limit=8&category=" + SHOP + "&q="
                + words.replace(' ', '+'));
        HttpRequest request = HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + TestKeys.secret("operator"))
                .GET().build();
        return HttpClient.newHttpClient().sendAsync(request, HttpResponse.BodyHandlers.ofString());
    }
}

package io.tastemaker.engagement;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.tastemaker.recommend.sources.Candidate;
import io.tastemaker.recommend.sources.Popularity;
import io.tastemaker.recommend.sources.PopularityContract;
import io.tastemaker.vectors.VectorFilter;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/**
 * The serving popularity (the consumer's trending scores in PostgreSQL, resolved in the index)
 * against the shared contract. Trending only lists products the index knows, so the history's
 * products enter the catalog first, under a brand of their own that keeps them apart from other
 * tests' trending products.
 */
@QuarkusTest
class TrendingReaderTests extends PopularityContract {

    private static final String BRAND = "Contract" + HISTORY.prefix().substring(HISTORY.prefix().indexOf('-') + 1);

    @Inject
    TrendingReader reader;

    @Inject
    EngagementConfig config;

    @Override
    protected Popularity replay(List<List<String>> shoppers) {
        catalog(HISTORY.products(), BRAND);
        ServingHistory.post(shoppers);
        reader.forget(); // the list read before the history was applied
        return reader;
    }

    /**
     * Serving only: the offline data carry no times, so {@code OfflineEngagement} counts plainly
     * (as if the half-life were endless) and this part of the contract cannot apply to it.
     */
    @Test
    void should_halve_an_engagement_per_half_life_of_age() {
        String brand = BRAND + "Decay";
        List<String> products = List.of(HISTORY.id("older"), HISTORY.id("newer"));
        catalog(products, brand);
        Instant now = Instant.now().minusSeconds(60);
        ServingHistory.post(List.of(List.of(products.get(0), products.get(0), products.get(0))),
                now.minus(config.trendingHalfLife()));
        ServingHistory.post(List.of(List.of(products.get(1))), now);
        reader.forget();

        List<Candidate> top = reader.top(new VectorFilter(null, brand, null, null, null, null), 10);
        double sinceNow = (double) Duration.between(now, Instant.now()).toMillis() / config.trendingHalfLife().toMillis();

        // three purchases one half-life old weigh as one and a half now
        assertThat(top).extracting(Candidate::productId).containsExactly(products.get(0), products.get(1));
        assertThat(top.get(1).score() / top.get(0).score()).isCloseTo(1 / 1.5, within(1e-9));
        double purchase = config.weights().purchase();
        assertThat(top.get(1).score()).isCloseTo(purchase * Math.pow(0.5, sinceNow), within(1e-6 * purchase));
    }

    private static void catalog(List<String> productIds, String brand) {
        for (String productId : productIds) {
            given().contentType(ContentType.JSON).body("{\"title\":\"Stoneware vase " + productId + "\",\"brand\":\"" + brand
                            + "\",\"categoryPath\":[\"Home\",\"Decor\"],\"price\":30,\"currency\":\"USD\"}")
                    .put("/v1/catalog/products/" + productId).then().statusCode(202);
        }
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().queryParam("q", "stoneware vase")
                .queryParam("brand", brand).queryParam("limit", 100).get("/v1/search").then()
                .body("items.size()", equalTo(productIds.size())));
    }

    @Override
    protected VectorFilter onlyTheHistory() {
        return new VectorFilter(null, BRAND, null, null, null, null);
    }
}

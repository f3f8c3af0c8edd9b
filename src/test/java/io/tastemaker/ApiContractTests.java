package io.tastemaker;

import io.tastemaker.testing.TestKeys;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.startsWith;

/** What clients see when they get something wrong, and what operators see: problem+json, 404s, health, metrics. */
@QuarkusTest
class ApiContractTests {

    private static final String PROBLEM = "application/problem+json";

    @Test
    void a_product_with_invalid_fields_is_refused_naming_every_field() {
        given().contentType(ContentType.JSON)
                .body("{\"title\":\"\",\"categoryPath\":[],\"price\":-1,\"currency\":\"usd\",\"imageUrl\":\"ftp://x\"}")
                .put("/v1/catalog/products/p-1")
                .then().statusCode(400).contentType(PROBLEM)
                .body("status", equalTo(400))
                .body("instance", equalTo("/v1/catalog/products/p-1"))
                .body("errors.field", containsInAnyOrder("title", "categoryPath", "price", "currency", "imageUrl"));
    }

    @Test
    void a_field_of_the_wrong_type_is_named() {
        given().contentType(ContentType.JSON)
                .body("{\"title\":\"Lamp\",\"categoryPath\":[\"Home\"],\"price\":\"cheap\",\"currency\":\"USD\"}")
                .put("/v1/catalog/products/p-2")
                .then().statusCode(400).contentType(PROBLEM)
                .body("errors[0].field", equalTo("price"));
    }

    @Test
    void a_body_that_is_not_json_is_refused() {
        given().contentType(ContentType.JSON).body("{\"title\": ")
                .put("/v1/catalog/products/p-3")
                .then().statusCode(400).contentType(PROBLEM);
    }

    @Test
    void an_id_in_the_body_must_match_the_path() {
        given().contentType(ContentType.JSON)
                .body("{\"id\":\"other\",\"title\":\"Lamp\",\"categoryPath\":[\"Home\"],\"price\":5,\"currency\":\"USD\"}")
                .put("/v1/catalog/products/p-4")
                .then().statusCode(400).contentType(PROBLEM)
                .body("errors[0].field", equalTo("id"));
    }

    @Test
    void an_invalid_product_id_is_refused() {
        given().get("/v1/catalog/products/bad id!").then().statusCode(400).contentType(PROBLEM)
                .body("errors[0].field", equalTo("productId"));
    }

    @Test
    void search_parameters_are_validated_by_name() {
        given().get("/v1/search").then().statusCode(400).contentType(PROBLEM).body("errors[0].field", equalTo("q"));
        given().queryParam("q", "lamp").queryParam("limit", "0").get("/v1/search")
                .then().statusCode(400).body("errors[0].field", equalTo("limit"));
        given().queryParam("q", "lamp").queryParam("limit", "101").get("/v1/search")
                .then().statusCode(400).body("errors[0].field", equalTo("limit"));
        given().queryParam("q", "lamp").queryParam("limit", "ten").get("/v1/search")
                .then().statusCode(400).body("errors[0].field", equalTo("limit"));
        given().queryParam("q", "lamp").queryParam("cursor", "not-a-cursor").get("/v1/search")
                .then().statusCode(400).body("errors[0].field", equalTo("cursor"));
        given().queryParam("q", "lamp").queryParam("minPrice", "50").queryParam("maxPrice", "10")
                .queryParam("inStock", "maybe").get("/v1/search")
                .then().statusCode(400).body("errors.field", containsInAnyOrder("minPrice", "inStock"));
        given().queryParam("q", "lamp").queryParam("maxPrice", "abc").get("/v1/search")
                .then().statusCode(400).body("errors[0].field", equalTo("maxPrice"));
    }

    @Test
    void a_bearer_token_that_is_neither_our_key_nor_verifiable_answers_401_without_an_identity_provider() {
        for (String token : List.of("not-a-key", "a.b.c", "tm_live_" + "x".repeat(43))) {
            given().header("Authorization", "Bearer " + token).get("/v1/search?q=lamp").then().statusCode(401)
                    .contentType(PROBLEM).header("WWW-Authenticate", startsWith("Bearer"));
        }
        TestKeys.anonymous().get("/v1/search?q=lamp").then().statusCode(401).contentType(PROBLEM);
    }

    @Test
    void unknown_products_answer_404_problems() {
        given().get("/v1/catalog/products/never-existed").then().statusCode(404).contentType(PROBLEM)
                .body("detail", containsString("never-existed"));
        given().get("/v1/products/never-existed/similar").then().statusCode(404).contentType(PROBLEM);
        given().get("/v1/no-such-endpoint").then().statusCode(404).contentType(PROBLEM);
    }

    @Test
    void readiness_reports_broker_database_and_index() {
        TestKeys.management().get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItems("kafka", "vectors", "postgresql"));
        TestKeys.management().get("/q/health/live").then().statusCode(200);
    }

    @Test
    void metrics_and_openapi_are_published() {
        TestKeys.management().get("/q/metrics").then().statusCode(200)
                .body(containsString("tastemaker_consumer_lag"))
                .body(containsString("tastemaker_consumer_batch_size"));
        TestKeys.management().get("/q/openapi?format=json").then().statusCode(200)
                .body("paths.keySet()", hasItem("/v1/search"))
                .body("paths.keySet()", hasItem("/v1/products/{productId}/similar"));
    }
}

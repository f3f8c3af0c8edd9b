package io.tastemaker.shoppers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.tastemaker.engagement.RebuildResource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.oneOf;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

/**
 * Shopper data rights end to end on a real broker, a real PostgreSQL and the real model: an access
 * request lists every row stored about a shopper and their events on the log; an erasure removes
 * their profile, personalisation and words from the training export, keeps other shoppers' data,
 * skips their later events, and stays in force through a rebuild from the topic.
 */
@QuarkusTest
class ShopperDataTests {

    private static final Duration EVENTUALLY = Duration.ofSeconds(90);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TASTE_ONLY = "profile:1,similar:0,coEngagement:0,trending:0";
    private static final String TAG = "rights" + UUID.randomUUID().toString().substring(0, 8);
    private static final String BRAND = "Brand" + TAG;
    private static final List<String> LAMPS = List.of("Brass table lamp with a linen shade",
            "Ceramic bedside lamp with warm light", "Arc floor lamp for a reading corner", "Rattan pendant ceiling light");
    private static final List<String> RUGS = List.of("Hand-woven wool rug in natural tones", "Jute runner for a hallway",
            "Washable cotton rug with stripes");
    private static boolean catalogLoaded;
    // categories of this class's own: an erasure keeps the anonymous trending counts that a later
    // rebuild drops, so shared categories would make other classes' live and rebuilt states differ

    private final String run = UUID.randomUUID().toString().substring(0, 8);

    @BeforeEach
    void loadCatalogOnce() {
        if (catalogLoaded) {
            return;
        }
        for (int i = 0; i < LAMPS.size(); i++) {
            put(lamp(i), LAMPS.get(i), TAG, "Lighting");
        }
        for (int i = 0; i < RUGS.size(); i++) {
            put(rug(i), RUGS.get(i), TAG, "Rugs");
        }
        await().atMost(EVENTUALLY).untilAsserted(() -> given().queryParam("q", "lamp").queryParam("brand", BRAND)
                .queryParam("limit", 100).get("/v1/search").then()
                .body("items.size()", equalTo(LAMPS.size() + RUGS.size())));
        catalogLoaded = true;
    }

    @Test
    void an_erased_shopper_is_gone_and_stays_gone_after_a_rebuild() throws Exception {
        String erased = "u-" + run + "-erased";
        String kept = "u-" + run + "-kept";
        String onlyTheirWords = "lamp for annas reading nook " + TAG;
        String keptWords = "lamp for the porch " + TAG;
        String sharedWords = "brass lamp " + TAG;
        post(event(erased, "pin", lamp(0), onlyTheirWords), event(erased, "click", lamp(1), sharedWords),
                event(erased, "add_to_cart", lamp(2), null),
                event(kept, "pin", lamp(1), sharedWords), event(kept, "click", lamp(2), keptWords),
                event(kept, "pin", rug(0), null));
        await().atMost(EVENTUALLY).untilAsserted(() -> {
            profile(erased).statusCode(200).body("events", equalTo(3));
            profile(kept).statusCode(200).body("events", equalTo(3));
        });
        await().atMost(EVENTUALLY).untilAsserted(() -> assertThat(queryPairs())
                .containsKeys(onlyTheirWords, keptWords, sharedWords));
        assertThat(queryPairs().get(sharedWords)).isCloseTo(3.0 + 1.0, within(1e-9)); // kept's pin, erased's click
        feed(erased, TASTE_ONLY).body("items.reasons.flatten().detail", hasItem("close to your taste in Lighting"));
        String keptProfile = profileJson(kept);

        ValidatableResponse erasure = given().header("X-Actor", "ticket DSR-42").delete("/v1/users/" + erased)
                .then().statusCode(200)
                .body("userId", equalTo(erased))
                .body("alreadyErased", equalTo(false))
                .body("requestedBy", matchesPattern("key:embedded-operator#\\d+ for ticket DSR-42"))
                .body("removed.profile", equalTo(1))
                .body("removed.dedupeIds", equalTo(3))
                .body("removed.queryLinks", equalTo(2))
                .body("removed.queryTexts", equalTo(1)); // the shared words stay, with the other shopper's weight
        String erasedAt = erasure.extract().path("erasedAt");

        assertErased(erased, onlyTheirWords);
        assertThat(queryPairs()).containsKey(keptWords);
        assertThat(queryPairs().get(sharedWords)).isCloseTo(3.0, within(1e-9));
        assertThat(profileJson(kept)).isEqualTo(keptProfile);

        // events sent after the erasure are skipped too; the other shopper's still count
        post(event(erased, "purchase", lamp(3), "another lamp " + TAG), event(kept, "view", rug(1), null));
        await().atMost(EVENTUALLY).untilAsserted(() -> {
            RebuildResource.Progress p = progress();
            assertThat(p.replayed()).isEqualTo(p.onLog());
            profile(kept).statusCode(200).body("events", equalTo(4));
        });
        assertErased(erased, onlyTheirWords);
        assertThat(queryPairs()).doesNotContainKey("another lamp " + TAG);

        // erasing again is fine and keeps the first erasure
        given().delete("/v1/users/" + erased).then().statusCode(200)
                .body("alreadyErased", equalTo(true))
                .body("erasedAt", equalTo(erasedAt))
                .body("removed.profile", equalTo(0));

        long generation = progress().generation();
        given().post("/v1/admin/engagement/rebuild").then().statusCode(202);
        await().atMost(EVENTUALLY).untilAsserted(() -> {
            RebuildResource.Progress p = progress();
            assertThat(p.generation()).isGreaterThan(generation);
            assertThat(p.replayed()).isEqualTo(p.onLog());
            profile(kept).statusCode(200).body("events", equalTo(4));
        });
        assertErased(erased, onlyTheirWords);
        Map<String, Double> rebuilt = queryPairs();
        assertThat(rebuilt).containsKey(keptWords).doesNotContainKey("another lamp " + TAG);
        assertThat(rebuilt.get(sharedWords)).isCloseTo(3.0, within(1e-9));
        data(kept).body("erasure", nullValue()).body("dedupeIds.count", equalTo(4))
                .body("queryLinks.items.query", containsInAnyOrder(sharedWords, keptWords));
    }

    @Test
    void an_access_request_lists_every_row_stored_about_the_shopper() {
        String shopper = "u-" + run + "-access";
        String other = "u-" + run + "-other";
        String words = "warm bedside light " + TAG;
        String pin = UUID.randomUUID().toString();
        String view = UUID.randomUUID().toString();
        post(event(pin, shopper, "pin", lamp(1), "  Warm bedside LIGHT " + TAG), event(view, shopper, "view", rug(2), null),
                event(UUID.randomUUID().toString(), other, "pin", lamp(0), "not theirs " + TAG));
        await().atMost(EVENTUALLY).untilAsserted(() -> {
            profile(shopper).statusCode(200).body("events", equalTo(2));
            profile(other).statusCode(200);
        });

        data(shopper)
                .body("userId", equalTo(shopper))
                .body("erasure", nullValue())
                .body("profile.events", equalTo(2))
                .body("profile.modelVersion", notNullValue())
                .body("profile.vectorDimensions", equalTo(384))
                .body("profile.lastEventAt", notNullValue())
                .body("profile.state.items", hasKey(lamp(1)))
                .body("profile.state.recent.productId", containsInAnyOrder(lamp(1), rug(2)))
                .body("dedupeIds.count", equalTo(2))
                .body("dedupeIds.items.eventId", containsInAnyOrder(pin, view))
                .body("queryLinks.count", equalTo(1))
                .body("queryLinks.items[0].query", equalTo(words))
                .body("queryLinks.items[0].productId", equalTo(lamp(1)))
                .body("queryLinks.items[0].weight", equalTo(3.0f))
                .body("engagementLog.complete", equalTo(true))
                .body("engagementLog.eventsWithheld", equalTo(false))
                .body("engagementLog.eventsFound", equalTo(2))
                .body("engagementLog.events.event.eventId", containsInAnyOrder(pin, view))
                .body("engagementLog.events.event.userId", everyItem(equalTo(shopper)))
                .body("engagementLog.events.event.query", hasItem("  Warm bedside LIGHT " + TAG));

        // a shopper never seen: an answer with nothing in it, not an error
        data("u-" + run + "-never").body("profile", nullValue()).body("erasure", nullValue())
                .body("dedupeIds.count", equalTo(0)).body("queryLinks.count", equalTo(0))
                .body("engagementLog.eventsFound", equalTo(0));
    }

    @Test
    void a_malformed_user_id_is_named_in_the_problem() {
        for (var request : List.of(given().get("/v1/users/-dash/data"), given().delete("/v1/users/-dash"))) {
            request.then().statusCode(400)
                    .contentType("application/problem+json")
                    .body("errors[0].field", equalTo("userId"))
                    .body("errors[0].message", startsWith("must be 1-128 characters"));
        }
    }

    // ---- helpers ----

    /** What an erased shopper leaves: the erasure, their events counted on the log, nothing else. */
    private void assertErased(String shopper, String theirWords) throws Exception {
        profile(shopper).statusCode(404);
        data(shopper)
                .body("erasure.erasedAt", notNullValue())
                .body("erasure.requestedBy", matchesPattern("key:embedded-operator#\\d+ for ticket DSR-42"))
                .body("profile", nullValue())
                .body("dedupeIds.count", equalTo(0))
                .body("queryLinks.count", equalTo(0))
                .body("experiment", nullValue())
                .body("engagementLog.eventsWithheld", equalTo(true))
                .body("engagementLog.events", empty());
        assertThat(queryPairs()).doesNotContainKey(theirWords);
        feed(shopper, TASTE_ONLY).body("items.reasons.flatten().source", not(hasItem("profile")))
                .body("items.reasons.flatten().detail", not(hasItem("close to your taste in Lighting")));
        // a shopper without history: trending, then the catalogue's new arrivals
        feed(shopper, null).body("items.reasons.flatten().source", everyItem(oneOf("trending", "fresh")));
    }

    /** The query pairs of this class's products in the training export: words → weight. */
    private static Map<String, Double> queryPairs() throws Exception {
        String body = given().queryParam("source", "query").queryParam("minWeight", "0").get("/v1/training-data/pairs")
                .then().statusCode(200).extract().asString();
        Map<String, Double> pairs = new java.util.TreeMap<>();
        for (String line : body.split("\n")) {
            if (!line.isBlank()) {
                JsonNode pair = JSON.readTree(line);
                if (pair.path("anchorText").asText().endsWith(TAG)) {
                    pairs.merge(pair.path("anchorText").asText(), pair.path("weight").asDouble(), Double::sum);
                }
            }
        }
        return pairs;
    }

    private static ValidatableResponse data(String userId) {
        return given().get("/v1/users/" + userId + "/data").then().statusCode(200);
    }

    private static ValidatableResponse profile(String userId) {
        return given().get("/v1/users/" + userId + "/profile").then();
    }

    private static String profileJson(String userId) {
        return given().get("/v1/users/" + userId + "/data").then().statusCode(200).extract().jsonPath()
                .getMap("profile").toString();
    }

    private static ValidatableResponse feed(String userId, String weights) {
        var request = given().queryParam("brand", BRAND).queryParam("limit", 10);
        if (weights != null) {
            request = request.queryParam("weights", weights);
        }
        return request.get("/v1/users/" + userId + "/feed").then().statusCode(200);
    }

    private static RebuildResource.Progress progress() {
        return given().get("/v1/admin/engagement/rebuild").then().statusCode(200).extract().as(RebuildResource.Progress.class);
    }

    private static void put(String id, String title, String... categories) {
        given().contentType(ContentType.JSON).body(Map.of("title", title, "brand", BRAND,
                "categoryPath", List.of(categories), "price", 40, "currency", "USD"))
                .put("/v1/catalog/products/" + id).then().statusCode(202);
    }

    private static void post(String... events) {
        given().contentType(ContentType.JSON).body("{\"events\":[" + String.join(",", events) + "]}")
                .post("/v1/events").then().statusCode(202).body("accepted", equalTo(events.length));
    }

    private static String event(String userId, String type, String productId, String query) {
        return event(UUID.randomUUID().toString(), userId, type, productId, query);
    }

    private static String event(String eventId, String userId, String type, String productId, String query) {
        Map<String, Object> event = new java.util.LinkedHashMap<>();
        event.put("eventId", eventId);
        event.put("type", type);
        event.put("userId", userId);
        event.put("productId", productId);
        event.put("sessionId", "s-" + userId);
        if (query != null) {
            event.put("query", query);
        }
        event.put("occurredAt", Instant.now().toString());
        try {
            return JSON.writeValueAsString(event);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String lamp(int i) {
        return "lamp-" + i + "-" + TAG;
    }

    private static String rug(int i) {
        return "rug-" + i + "-" + TAG;
    }
}

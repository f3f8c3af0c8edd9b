package io.tastemaker.engagement;

import io.restassured.http.ContentType;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/**
 * Replays a contract history into the running service the way storefronts send it: each
 * shopper's purchases posted to {@code /v1/events}, all at one instant, then waits until the
 * engagement consumer has committed every one (a profile counts its events in the same
 * transaction as the links and trending scores).
 */
final class ServingHistory {

    private static final Duration EVENTUALLY = Duration.ofSeconds(60);

    private ServingHistory() {
    }

    /** @return the shoppers' ids, in {@code shoppers}' order */
    static List<String> post(List<List<String>> shoppers) {
        return post(shoppers, Instant.now().minusSeconds(60));
    }

    static List<String> post(List<List<String>> shoppers, Instant at) {
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<String> events = new ArrayList<>();
        List<String> userIds = new ArrayList<>();
        for (int s = 0; s < shoppers.size(); s++) {
            String userId = "contract-" + run + "-" + s;
            userIds.add(userId);
            for (String productId : shoppers.get(s)) {
                events.add("{\"eventId\":\"" + UUID.randomUUID() + "\",\"type\":\"purchase\",\"userId\":\"" + userId
                        + "\",\"productId\":\"" + productId + "\",\"occurredAt\":\"" + at + "\"}");
            }
        }
        given().contentType(ContentType.JSON).body("{\"events\":[" + String.join(",", events) + "]}")
                .post("/v1/events").then().statusCode(202).body("accepted", equalTo(events.size()));
        for (int s = 0; s < shoppers.size(); s++) {
            String userId = userIds.get(s);
            int expected = shoppers.get(s).size();
            await().atMost(EVENTUALLY).untilAsserted(() -> given().get("/v1/users/" + userId + "/profile").then()
                    .statusCode(200).body("events", equalTo(expected)));
        }
        return userIds;
    }
}

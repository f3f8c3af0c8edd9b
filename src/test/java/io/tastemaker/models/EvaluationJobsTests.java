package io.tastemaker.models;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.tastemaker.models.registry.EvaluationJobs;
import io.tastemaker.models.registry.ScriptedGate;
import io.tastemaker.models.training.ResidualAdapter;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

/**
 * The evaluation gate as jobs, on the real database, broker and models, with a gate the test
 * drives ({@link ScriptedGate}: it judges a shopper only when handed a step): a job starts at once
 * and runs on its own thread with progress, one at a time per instance, is cancelled, and runs
 * again after a restart interrupted it (released at shutdown, or left by a crashed instance);
 * promote needs a verdict and refuses a worse one unless forced; the feed weights a verdict chose
 * travel with the version on promote and rollback, and the feed answers with them.
 */
@QuarkusTest
@TestProfile(EvaluationJobsTests.DrivenGate.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EvaluationJobsTests {

    private static final Duration EVENTUALLY = Duration.ofSeconds(120);
    private static final String BASE = "bge-small-en-v1.5-q";
    private static final String SHOP = "Eval" + UUID.randomUUID().toString().substring(0, 8);
    /** An identity adapter over the base: the same vectors, so only the feed weights can change an answer. */
    private static final String CANDIDATE = "same-" + UUID.randomUUID().toString().substring(0, 6);
    private static final String SHOPPER = "eval-shopper-" + UUID.randomUUID().toString().substring(0, 6);
    /** What the scripted verdict chooses for the candidate: trending only. */
    private static final Map<String, Double> CHOSEN = Map.of("profile", 0.0, "similar", 0.0, "coEngagement", 0.0,
            "trending", 1.0);
    private static final String CHOSEN_PARAM = "profile:0,similar:0,coEngagement:0,trending:1";
    /** Co-engagement alone: what shoppers went on to from the shopper's pins (a linking shopper made e7 and e9 follow e3). */
    private static final Map<String, Double> LINKS = Map.of("profile", 0.0, "similar", 0.0, "coEngagement", 1.0,
            "likeMinded", 0.0, "trending", 0.0, "fresh", 0.0);
    private static final String LINKS_PARAM = "profile:0,similar:0,coEngagement:1,likeMinded:0,trending:0,fresh:0";

    @Inject
    EvaluationJobs evaluations;
    @Inject
    io.vertx.mutiny.sqlclient.Pool pool;

    /** The scripted gate instead of the service's; an instance silent for 2 s has lost its job. */
    public static class DrivenGate implements QuarkusTestProfile {
        @Override
        public Set<Class<?>> getEnabledAlternatives() {
            return Set.of(ScriptedGate.class);
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tastemaker.models.evaluation-lease", "2s");
        }
    }

    @BeforeAll
    static void noStepsLeft() {
        ScriptedGate.reset();
    }

    @Test
    @Order(1)
    void a_shop_a_shopper_and_a_second_version_with_the_same_vectors() throws IOException {
        // the test database outlives a run: a job an earlier run left behind would hold this instance's one place
        pool.query("UPDATE model_evaluations SET state = 'cancelled', finished_at = now() WHERE state IN ('queued', 'running')")
                .execute().await().atMost(Duration.ofSeconds(30));
        // and a run stopped between its promote and its rollback would leave another version active
        if (!BASE.equals(given().get("/v1/models").then().extract().path("active"))) {
            given().queryParam("force", true).post("/v1/models/" + BASE + "/promote").then().statusCode(200);
        }
        for (int i = 0; i < 12; i++) {
            given().contentType(ContentType.JSON).body(Map.of("title", "Item " + i + " of the evaluation shop",
                            "brand", "Brand" + (i % 3), "categoryPath", List.of(SHOP), "price", 10 + i, "currency", "USD"))
                    .put("/v1/catalog/products/e" + i + "-" + SHOP).then().statusCode(202);
        }
        await().atMost(EVENTUALLY).untilAsserted(() -> given().queryParam("q", "item").queryParam("category", SHOP)
                .queryParam("limit", 100).get("/v1/search").then().body("items.size()", equalTo(12)));
        StringBuilder events = new StringBuilder();
        int[] engaged = {1, 2, 3, 5, 5, 5, 8, 8, 3, 7, 9};
        for (int k = 0; k < engaged.length; k++) {
            // the shopper pins three; others make 5 and 8 trend; one goes from 3 on to 7 and 9
            String user = k < 3 ? SHOPPER : k < 8 ? "eval-crowd-" + k : "eval-linker";
            events.append(events.isEmpty() ? "" : ",").append("{\"eventId\":\"").append(UUID.randomUUID())
                    .append("\",\"type\":\"pin\",\"userId\":\"").append(user).append("\",\"productId\":\"e")
                    .append(engaged[k]).append('-').append(SHOP).append("\",\"occurredAt\":\"")
                    .append(Instant.now().minusSeconds(60 - k)).append("\"}");
        }
        given().contentType(ContentType.JSON).body("{\"events\":[" + events + "]}").post("/v1/events").then().statusCode(202);
        await().atMost(EVENTUALLY).untilAsserted(() -> given().get("/v1/users/" + SHOPPER + "/profile").then()
                .statusCode(200));

        Path dir = Files.createDirectories(Path.of("target/test-data/models", "eval-" + UUID.randomUUID()).toAbsolutePath());
        Path identity = dir.resolve("identity.adapter");
        new ResidualAdapter(BASE, 384, new float[384 * 384], Map.of("purpose", "test")).save(identity);
        given().contentType(ContentType.JSON).body(Map.of("version", CANDIDATE, "kind", "adapter", "base", BASE,
                "adapterPath", identity.toString())).post("/v1/models").then().statusCode(201);
        given().post("/v1/models/" + CANDIDATE + "/evaluate").then().statusCode(409)
                .contentType("application/problem+json").body("detail", containsString("not built"));
        given().post("/v1/models/" + CANDIDATE + "/index").then().statusCode(202);
        await().atMost(EVENTUALLY).untilAsserted(() -> given().get("/v1/models/" + CANDIDATE).then()
                .body("state", equalTo("ready")));
        given().get("/v1/models/" + CANDIDATE + "/evaluation").then().statusCode(404);
        given().post("/v1/models/nope/evaluate").then().statusCode(404);
    }

    @Test
    @Order(2)
    void a_job_starts_at_once_runs_on_its_own_thread_with_progress_and_is_one_at_a_time() {
        ScriptedGate.reset();
        var started = given().post("/v1/models/" + CANDIDATE + "/evaluate").then().statusCode(202)
                .body("version", equalTo(CANDIDATE)).body("against", equalTo(BASE)).extract().jsonPath();
        assertThat(started.getString("state")).isIn("queued", "running");
        long id = started.getLong("id");
        await().atMost(EVENTUALLY).untilAsserted(() -> evaluation(CANDIDATE).then().body("state", equalTo("running"))
                .body("total", equalTo(ScriptedGate.SHOPPERS)));

        ScriptedGate.advance(30);
        await().atMost(EVENTUALLY).untilAsserted(() -> evaluation(CANDIDATE).then().body("done", equalTo(30)));
        evaluation(CANDIDATE).then().body("percent", equalTo(30.0f)).body("etaSeconds", notNullValue())
                .body("perSecond", notNullValue()).body("verdict", nullValue()).body("id", equalTo((int) id));
        assertThat(ScriptedGate.THREADS).last().isEqualTo("model-evaluation");

        // a second start, of this version or another, names the running one
        given().post("/v1/models/" + BASE + "/evaluate").then().statusCode(409).contentType("application/problem+json")
                .body("detail", containsString("job " + id)).body("detail", containsString(CANDIDATE));
        // no verdict yet: promote says to evaluate first
        given().post("/v1/models/" + CANDIDATE + "/promote").then().statusCode(409)
                .body("detail", containsString("is running")).body("detail", containsString("force=true"));

        given().urlEncodingEnabled(false).post("/v1/models/" + CANDIDATE + "/evaluation:cancel").then().statusCode(202)
                .body("cancelRequested", equalTo(true));
        await().atMost(EVENTUALLY).untilAsserted(() -> evaluation(CANDIDATE).then().body("state", equalTo("cancelled")));
        evaluation(CANDIDATE).then().body("done", equalTo(30)).body("finishedAt", notNullValue());
        given().urlEncodingEnabled(false).post("/v1/models/" + CANDIDATE + "/evaluation:cancel").then().statusCode(409)
                .body("detail", containsString("nothing to cancel"));
        given().post("/v1/models/" + CANDIDATE + "/promote").then().statusCode(409)
                .body("detail", containsString("Evaluate it first"));
    }

    @Test
    @Order(3)
    void a_job_interrupted_by_a_restart_runs_again_from_the_start_and_one_left_by_a_dead_instance_is_taken_over() {
        ScriptedGate.reset();
        ScriptedGate.verdictFor(true, Map.of("similar", 3.0));
        long id = given().post("/v1/models/" + CANDIDATE + "/evaluate").then().statusCode(202).extract().jsonPath().getLong("id");
        ScriptedGate.advance(40);
        await().atMost(EVENTUALLY).untilAsserted(() -> evaluation(CANDIDATE).then().body("done", equalTo(40)));
        int calls = ScriptedGate.THREADS.size();

        evaluations.stop(); // what a shutdown does: the job is released, not lost
        evaluation(CANDIDATE).then().body("id", equalTo((int) id)).body("state", equalTo("queued"))
                .body("attempts", equalTo(1));
        evaluations.start();
        await().atMost(EVENTUALLY).untilAsserted(() -> evaluation(CANDIDATE).then().body("state", equalTo("running"))
                .body("attempts", equalTo(2)).body("done", equalTo(0)));
        ScriptedGate.advance(ScriptedGate.SHOPPERS);
        await().atMost(EVENTUALLY).untilAsserted(() -> evaluation(CANDIDATE).then().body("state", equalTo("done")));
        assertThat(ScriptedGate.THREADS).hasSize(calls + 1);
        evaluation(CANDIDATE).then().body("id", equalTo((int) id)).body("percent", equalTo(100.0f))
                .body("verdict.worse", equalTo(true)).body("verdict.candidate.version", equalTo(CANDIDATE))
                .body("verdict.active.version", equalTo(BASE)).body("verdict.candidate.hitRate.low", notNullValue());

        // an instance that died mid-job (its heartbeat stopped an hour ago): another one takes the job over
        ScriptedGate.reset();
        sql("INSERT INTO model_evaluations (version, against, state, attempts, owner, heartbeat, started_at)"
                + " VALUES ($1, '" + BASE + "', 'running', 1, 'dead-instance', now() - interval '1 hour',"
                + " now() - interval '1 hour')", CANDIDATE);
        await().atMost(EVENTUALLY).untilAsserted(() -> evaluation(CANDIDATE).then().body("state", equalTo("running"))
                .body("attempts", equalTo(2)));
        ScriptedGate.advance(ScriptedGate.SHOPPERS);
        await().atMost(EVENTUALLY).untilAsserted(() -> evaluation(CANDIDATE).then().body("state", equalTo("done")));
    }

    @Test
    @Order(4)
    void promote_refuses_a_worse_verdict_with_the_verdict_and_force_overrides_it() {
        var refused = given().post("/v1/models/" + CANDIDATE + "/promote").then().statusCode(409)
                .contentType("application/problem+json").body("detail", containsString("worse"))
                .body("detail", containsString("force=true")).body("evaluation.verdict.worse", equalTo(true))
                .body("evaluation.verdict.candidate.ndcg.value", notNullValue()).extract().jsonPath();
        assertThat(refused.getString("evaluation.state")).isEqualTo("done");
        given().get("/v1/models").then().body("active", equalTo(BASE));
        given().queryParam("force", true).post("/v1/models/" + CANDIDATE + "/promote").then().statusCode(200);
        given().post("/v1/models/rollback").then().statusCode(200).body("version", equalTo(BASE));
    }

    @Test
    @Order(5)
    void the_weights_a_verdict_chose_travel_with_the_version_on_promote_and_rollback() {
        // the crowd's pins reach trending a moment after the shopper's profile: compare settled feeds only
        for (int trending : new int[]{5, 8}) {
            await().atMost(EVENTUALLY).untilAsserted(() -> given().queryParam("limit", 10).queryParam("category", SHOP)
                    .queryParam("rerank", false).get("/v1/users/" + SHOPPER + "/feed").then().statusCode(200)
                    .body("items.find { it.productId == 'e" + trending + "-" + SHOP + "' }.reasons.source", hasItem("trending")));
        }
        List<String> configured = feed(null);
        List<String> chosenByRequest = feed(CHOSEN_PARAM);
        assertThat(chosenByRequest).as("the chosen weights rank this shop's feed differently").isNotEqualTo(configured);

        ScriptedGate.reset();
        ScriptedGate.verdictFor(false, CHOSEN);
        given().post("/v1/models/" + CANDIDATE + "/evaluate").then().statusCode(202);
        ScriptedGate.advance(ScriptedGate.SHOPPERS);
        await().atMost(EVENTUALLY).untilAsserted(() -> evaluation(CANDIDATE).then().body("state", equalTo("done")));
        JsonPath version = given().get("/v1/models/" + CANDIDATE).then().statusCode(200)
                .body("evaluation.state", equalTo("done")).body("evaluation.verdict.worse", equalTo(false))
                .body("evaluation.verdict.window.cutOff", notNullValue())
                .body("evaluation.verdict.candidate.shoppers", equalTo(ScriptedGate.SHOPPERS))
                .body("feedWeights.trending", equalTo(1.0f)).body("feedWeights.similar", equalTo(0.0f))
                .extract().jsonPath();
        assertThat(version.getDouble("evaluation.verdict.candidate.ndcg.low"))
                .isLessThanOrEqualTo(version.getDouble("evaluation.verdict.candidate.ndcg.high"));
        given().get("/v1/models/" + BASE).then().body("feedWeights", nullValue());
        given().get("/v1/models").then().body("versions.find { it.version == '" + CANDIDATE + "' }.feedWeights.trending",
                equalTo(1.0f));
        assertThat(feed(null)).as("a verdict alone changes nothing that serves").isEqualTo(configured);

        given().post("/v1/models/" + CANDIDATE + "/promote").then().statusCode(200); // a verdict, not worse: no force
        await().atMost(EVENTUALLY).untilAsserted(() -> assertThat(feed(null)).isEqualTo(tagged(chosenByRequest, CANDIDATE)));
        // a request's weights= still apply on top of the version's
        String configuredParam = "profile:0.1,similar:2,coEngagement:1,trending:0.35";
        assertThat(feed(configuredParam)).isEqualTo(tagged(configured, CANDIDATE));

        given().post("/v1/models/rollback").then().statusCode(200).body("version", equalTo(BASE));
        await().atMost(EVENTUALLY).untilAsserted(() -> assertThat(feed(null)).isEqualTo(configured));
    }

    @Test
    @Order(6)
    void the_co_engagement_floor_a_verdict_chose_travels_with_the_version_too() {
        await().atMost(EVENTUALLY).untilAsserted(() -> assertThat(feed(LINKS_PARAM)).anyMatch(i -> i.startsWith("e7-")));
        List<String> unfloored = feed(LINKS_PARAM); // the active version asks for no floor: the configured 0

        ScriptedGate.reset();
        ScriptedGate.verdictFor(false, LINKS, 8.0); // above this shop's best count: the floor bites
        given().post("/v1/models/" + CANDIDATE + "/evaluate").then().statusCode(202);
        ScriptedGate.advance(ScriptedGate.SHOPPERS);
        await().atMost(EVENTUALLY).untilAsserted(() -> evaluation(CANDIDATE).then().body("state", equalTo("done")));
        given().get("/v1/models/" + CANDIDATE).then().statusCode(200).body("coEngagementFloor", equalTo(8.0f))
                .body("feedWeights.coEngagement", equalTo(1.0f))
                .body("evaluation.verdict.candidate.coEngagementFloor", equalTo(8.0f));
        given().get("/v1/models/" + BASE).then().body("coEngagementFloor", nullValue());

        given().post("/v1/models/" + CANDIDATE + "/promote").then().statusCode(200);
        await().atMost(EVENTUALLY).untilAsserted(() -> assertThat(feed(null).get(0)).isEqualTo(CANDIDATE));
        List<String> floored = feed(null);
        // the same products in the same order, every co-engagement score divided by 8 instead of the best count
        // (the API rounds scores to 4 decimals)
        assertThat(products(floored)).isEqualTo(products(unfloored)).hasSizeGreaterThanOrEqualTo(2);
        double ratio = score(floored.get(1)) / score(unfloored.get(1));
        assertThat(ratio).isLessThan(0.5);
        for (int i = 1; i < floored.size(); i++) {
            assertThat(score(floored.get(i))).as(floored.get(i)).isCloseTo(score(unfloored.get(i)) * ratio, within(0.001));
        }

        given().post("/v1/models/rollback").then().statusCode(200).body("version", equalTo(BASE));
        await().atMost(EVENTUALLY).untilAsserted(() -> assertThat(feed(LINKS_PARAM)).isEqualTo(unfloored));
    }

    private static List<String> products(List<String> feed) {
        return feed.subList(1, feed.size()).stream().map(item -> item.substring(0, item.indexOf('='))).toList();
    }

    private static double score(String item) {
        return Double.parseDouble(item.substring(item.indexOf('=') + 1));
    }

    /** The shop's feed for the shopper: the model version, then each product with its score. */
    private static List<String> feed(String weights) {
        var request = given().queryParam("limit", 10).queryParam("category", SHOP).queryParam("rerank", false);
        if (weights != null) {
            request = request.queryParam("weights", weights);
        }
        JsonPath page = request.get("/v1/users/" + SHOPPER + "/feed").then().statusCode(200).extract().jsonPath();
        List<String> items = new ArrayList<>(List.of(page.getString("modelVersion")));
        List<Map<String, Object>> found = page.getList("items");
        found.forEach(item -> items.add(item.get("productId") + "=" + item.get("score")));
        return items;
    }

    private static List<String> tagged(List<String> feed, String version) {
        List<String> copy = new ArrayList<>(feed);
        copy.set(0, version);
        return copy;
    }

    private static io.restassured.response.Response evaluation(String version) {
        return given().get("/v1/models/" + version + "/evaluation");
    }

    private void sql(String statement, String version) {
        pool.preparedQuery(statement).execute(io.vertx.mutiny.sqlclient.Tuple.of(version)).await().atMost(Duration.ofSeconds(30));
    }
}

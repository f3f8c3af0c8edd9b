package io.tastemaker.models.registry;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.tastemaker.embedding.EmbeddingPipeline;
import io.tastemaker.vectors.VectorStore;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

/**
 * A remote model version kept beside the serving one, on a local OpenAI-compatible server that
 * hangs or answers 500: products keep flowing into the serving index, the remote version catches
 * up once its server answers again, its failures never show the server's reply, and a registry
 * row that sends a secret elsewhere is refused when it is loaded.
 */
@QuarkusTest
@TestProfile(RemoteModelIsolationTests.LocalhostAllowed.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RemoteModelIsolationTests {

    /** A hang lasts far longer than any wait of this test: only a serving index independent of it passes. */
    private static final Duration EVENTUALLY = Duration.ofSeconds(120);
    private static final String SHOP = "Remote" + UUID.randomUUID().toString().substring(0, 8);
    private static final String REMOTE = "tei-" + UUID.randomUUID().toString().substring(0, 6);
    private static ScriptedEmbeddingsServer server;
    /** Where a hostile registry row points: the test asserts it is never called. */
    private static ScriptedEmbeddingsServer attacker;

    @Inject
    ModelRegistry registry;
    @Inject
    VectorStore store;
    @Inject
    EmbeddingPipeline pipeline;

    /** Remote models on localhost only (not 127.0.0.1, the same server by another name); hangs wait 10 minutes. */
    public static class LocalhostAllowed implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tastemaker.models.remote.allowed-hosts", "localhost",
                    "tastemaker.models.remote.timeout", "10m");
        }
    }

    @BeforeAll
    static void startServers() throws Exception {
        server = new ScriptedEmbeddingsServer(16);
        attacker = new ScriptedEmbeddingsServer(16);
    }

    @AfterAll
    static void stopServers() {
        server.close();
        attacker.close();
    }

    @Test
    @Order(1)
    void a_remote_model_is_refused_off_the_allow_list_and_its_failures_never_show_its_reply() {
        register(Map.of("version", "evil-" + SHOP, "kind", "remote", "baseUrl", attacker.baseUrl("127.0.0.1"),
                "modelName", "e5", "apiKeyEnv", "TASTEMAKER_DATABASE_PASSWORD")).statusCode(400)
                .body("errors.field", hasItem("baseUrl")).body("errors.field", hasItem("apiKeyEnv"));
        register(Map.of("version", "creds-" + SHOP, "kind", "remote", "baseUrl",
                "http://user:pw@localhost:" + server.port() + "/v1", "modelName", "e5")).statusCode(400)
                .body("errors[0].field", equalTo("baseUrl"));
        register(Map.of("version", "outside-" + SHOP, "kind", "onnx", "modelPath", "/etc/passwd", "tokenizerPath",
                "../../pom.xml")).statusCode(400)
                .body("errors.field", hasItem("modelPath")).body("errors.field", hasItem("tokenizerPath"));

        server.mode(ScriptedEmbeddingsServer.Mode.FAIL);
        register(Map.of("version", "failing-" + SHOP, "kind", "remote", "baseUrl", server.baseUrl("localhost"),
                "modelName", "e5")).statusCode(400)
                .body("errors[0].field", equalTo("baseUrl"))
                .body("errors[0].message", containsString("answered HTTP 500"))
                .body(not(containsString("hunter2")));
        assertThat(attacker.requests()).isEmpty();
    }

    @Test
    @Order(2)
    void a_hanging_or_failing_remote_version_does_not_hold_up_the_serving_index_and_catches_up_afterwards() {
        server.mode(ScriptedEmbeddingsServer.Mode.ANSWER);
        List<String> before = putProducts("before", 5);
        awaitSearchable(5);
        register(Map.of("version", REMOTE, "kind", "remote", "baseUrl", server.baseUrl("localhost"), "modelName", "e5",
                "apiKeyEnv", "TASTEMAKER_MODEL_KEY_TEI")).statusCode(201).body("dimension", equalTo(16));
        given().post("/v1/models/" + REMOTE + "/index").then().statusCode(202);
        await().atMost(EVENTUALLY).untilAsserted(() -> given().get("/v1/models/" + REMOTE).then()
                .body("state", equalTo("ready")));
        ModelVersion remote = registry.find(REMOTE).orElseThrow();
        assertThat(store.collection(remote.collection(), 16).get(before)).containsOnlyKeys(before);

        // the remote server hangs (for ten minutes, as long as its timeout): the serving index still follows the catalog
        server.mode(ScriptedEmbeddingsServer.Mode.HANG);
        List<String> duringHang = putProducts("hang", 5);
        awaitSearchable(10);
        await().atMost(EVENTUALLY).until(() -> pipeline.waiting(REMOTE) > 0 || hasAll(remote, duringHang));

        // it answers 500: same
        server.mode(ScriptedEmbeddingsServer.Mode.FAIL);
        List<String> duringFailure = putProducts("fail", 5);
        awaitSearchable(15);
        given().get("/v1/models/" + REMOTE).then().body("state", equalTo("ready"));

        // it answers again: the remote version's collection receives what it missed
        server.mode(ScriptedEmbeddingsServer.Mode.ANSWER);
        List<String> missed = new ArrayList<>(duringHang);
        missed.addAll(duringFailure);
        await().atMost(EVENTUALLY).until(() -> hasAll(remote, missed));
        assertThat(pipeline.waiting(REMOTE)).isZero();
        assertThat(server.requests()).extracting(ScriptedEmbeddingsServer.Request::authorization).doesNotContainNull();
    }

    @Test
    @Order(3)
    void an_index_build_that_fails_records_the_status_not_the_reply() {
        server.mode(ScriptedEmbeddingsServer.Mode.ANSWER);
        String version = "tei-build-" + UUID.randomUUID().toString().substring(0, 6);
        register(Map.of("version", version, "kind", "remote", "baseUrl", server.baseUrl("localhost"), "modelName", "e5"))
                .statusCode(201);
        server.mode(ScriptedEmbeddingsServer.Mode.FAIL);
        given().post("/v1/models/" + version + "/index").then().statusCode(202);
        await().atMost(EVENTUALLY).untilAsserted(() -> given().get("/v1/models/" + version).then()
                .body("state", equalTo("failed"))
                .body("error", containsString("answered HTTP 500"))
                .body("error", not(containsString("hunter2"))));
        server.mode(ScriptedEmbeddingsServer.Mode.ANSWER);
    }

    @Test
    @Order(4)
    void a_registry_row_written_before_the_rules_is_refused_when_it_is_loaded() {
        // as an unguarded registration stored it: the database password's variable, sent to another host
        String hostile = "leak-" + UUID.randomUUID().toString().substring(0, 6);
        registry.register(ModelVersion.ready(hostile, ModelVersion.Kind.REMOTE,
                ModelVersion.Spec.remote(attacker.baseUrl("127.0.0.1"), "e5", "TASTEMAKER_DATABASE_PASSWORD"), 16, 0),
                ModelVersion.State.READY);
        putProducts("after-leak", 2);
        await().atMost(EVENTUALLY).untilAsserted(() -> given().get("/v1/models/" + hostile).then()
                .body("state", equalTo("failed"))
                .body("error", containsString("refused at load"))
                .body("error", containsString("baseUrl")));
        awaitSearchable(17);
        assertThat(attacker.requests()).isEmpty();
        // its server goes away with this test: the remote version is no longer maintained
        given().post("/v1/models/" + REMOTE + "/retire").then().statusCode(200);
    }

    private boolean hasAll(ModelVersion version, List<String> ids) {
        return store.collection(version.collection(), 16).get(ids).keySet().containsAll(ids);
    }

    private static List<String> putProducts(String prefix, int count) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String id = prefix + i + "-" + SHOP;
            given().contentType(ContentType.JSON).body(Map.of("title", "Product " + prefix + " " + i + " of the remote shop",
                            "brand", "Acme", "categoryPath", List.of(SHOP), "price", 10 + i, "currency", "USD"))
                    .put("/v1/catalog/products/" + id).then().statusCode(202);
            ids.add(id);
        }
        return ids;
    }

    private static void awaitSearchable(int count) {
        await().atMost(EVENTUALLY).untilAsserted(() -> given().queryParam("q", "product").queryParam("category", SHOP)
                .queryParam("limit", 100).get("/v1/search").then().body("items.size()", equalTo(count)));
    }

    private static io.restassured.response.ValidatableResponse register(Map<String, Object> body) {
        return given().contentType(ContentType.JSON).body(body).post("/v1/models").then();
    }
}

package io.tastemaker.models;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.tastemaker.embedding.ActiveModel;
import io.tastemaker.models.experiments.Split;
import io.tastemaker.models.registry.ModelRegistry;
import io.tastemaker.models.registry.ModelVersion;
import io.tastemaker.models.registry.RegistryFollower;
import io.tastemaker.models.training.ResidualAdapter;
import io.tastemaker.profiles.ProfileService;
import io.tastemaker.vectors.VectorStore;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.matchesPattern;

/**
 * The model registry end to end on the real database, broker and models: a second model (the
 * bundled bge weights exported to disk, with mean pooling, so its vectors differ) is registered,
 * indexed in the background (interrupted and resumed), promoted while storefront requests keep
 * coming, and rolled back.
 */
@QuarkusTest
@TestProfile(ModelRegistryTests.SlowBuilds.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ModelRegistryTests {

    private static final Duration EVENTUALLY = Duration.ofSeconds(300);
    private static final String BASE = "bge-small-en-v1.5-q";
    private static final String SHOP = "Models" + UUID.randomUUID().toString().substring(0, 8);
    private static final String CANDIDATE = "bge-mean-" + UUID.randomUUID().toString().substring(0, 6);
    /** The fine-tuned adapter of test 5; the treatment of the A/B experiment in test 7. */
    private static final String TUNED = "bge-ft-" + UUID.randomUUID().toString().substring(0, 6);
    private static Path modelDir;

    @Inject
    RegistryFollower models;
    @Inject
    ModelRegistry registry;
    @Inject
    VectorStore store;
    @Inject
    ActiveModel active;
    @Inject
    io.tastemaker.models.experiments.Assignments assignments;
    @Inject
    ProfileService profiles;
    @Inject
    io.vertx.mutiny.sqlclient.Pool pool;

    /**
     * Small, slow batches: a build takes long enough to be interrupted. Its own data directory: the
     * gate's cut-off leaves the most recent fifth of all engagement after it, so in a database other
     * test classes wrote minutes before, the windows the gate test sets up would fall among their events.
     */
    public static class SlowBuilds implements QuarkusTestProfile {
        static final String DATA_DIR = "target/test-data-registry";

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tastemaker.models.build-batch-size", "8", "tastemaker.models.build-share", "0.25",
                    "tastemaker.data-dir", DATA_DIR);
        }
    }

    @BeforeAll
    static void exportBundledModel() throws IOException {
        // model files are read from the models directory only (tastemaker.models.directory, by default
        // <data-dir>/models)
        modelDir = Files.createDirectories(Path.of(SlowBuilds.DATA_DIR, "models", "registry-" + UUID.randomUUID())
                .toAbsolutePath());
        for (String file : List.of("bge-small-en-v1.5-q.onnx", "bge-small-en-v1.5-q-tokenizer.json")) {
            try (InputStream in = org.junit.jupiter.api.Test.class.getClassLoader().getResourceAsStream(file)) {
                assertThat(in).as(file).isNotNull();
                Files.copy(in, modelDir.resolve(file), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    @Test
    @Order(1)
    void the_configured_model_is_the_first_active_version() {
        given().get("/v1/models").then().statusCode(200)
                .body("active", equalTo(BASE))
                .body("versions.find { it.version == '" + BASE + "' }.state", equalTo("active"))
                .body("versions.find { it.version == '" + BASE + "' }.dimension", equalTo(384));
        given().get("/v1/models/nope").then().statusCode(404);
    }

    @Test
    @Order(2)
    void registration_is_validated_field_by_field() {
        register(Map.of("version", "x y", "kind", "pytorch")).statusCode(400)
                .body("errors.field", hasItem("version")).body("errors.field", hasItem("kind"));
        register(Map.of("version", "missing", "kind", "onnx", "modelPath", "/nowhere/model.onnx",
                "tokenizerPath", modelDir.resolve("bge-small-en-v1.5-q-tokenizer.json").toString(), "pooling", "SUM"))
                .statusCode(400).body("errors.field", hasItem("modelPath")).body("errors.field", hasItem("pooling"));
        register(Map.of("version", "nowhere", "kind", "remote", "baseUrl", "http://127.0.0.1:1/v1", "modelName", "e5"))
                .statusCode(400).body("errors[0].field", equalTo("baseUrl"));
        register(Map.of("version", BASE, "kind", "onnx", "modelPath", modelPath(), "tokenizerPath", tokenizerPath()))
                .statusCode(409);
    }

    @Test
    @Order(3)
    void a_registered_version_is_indexed_in_the_background_and_resumes_after_an_interruption() {
        for (int i = 0; i < 40; i++) {
            given().contentType(ContentType.JSON).body(Map.of("title", "Product " + i + " of the model shop",
                            "brand", "Acme", "categoryPath", List.of(SHOP), "price", 10 + i, "currency", "USD"))
                    .put("/v1/catalog/products/m" + i + "-" + SHOP).then().statusCode(202);
        }
        await().atMost(EVENTUALLY).untilAsserted(() -> given().queryParam("q", "product").queryParam("category", SHOP)
                .queryParam("limit", 100).get("/v1/search").then().body("items.size()", equalTo(40)));

        register(Map.of("version", CANDIDATE, "kind", "onnx", "modelPath", modelPath(), "tokenizerPath", tokenizerPath(),
                "pooling", "MEAN")).statusCode(201)
                .body("state", equalTo("registered")).body("dimension", equalTo(384));
        given().post("/v1/models/" + CANDIDATE + "/promote").then().statusCode(409); // not indexed yet
        given().post("/v1/models/" + CANDIDATE + "/index").then().statusCode(202).body("state", equalTo("indexing"));

        await().atMost(EVENTUALLY).until(() -> registry.find(CANDIDATE).orElseThrow().indexed() >= 8);
        // while it builds: how far, how fast and how long it still needs (what the console's progress bar shows)
        given().get("/v1/models/" + CANDIDATE).then().body("state", equalTo("indexing"))
                .body("progress.startedAt", org.hamcrest.Matchers.notNullValue())
                .body("progress.perSecond", org.hamcrest.Matchers.greaterThan(0f))
                .body("progress.etaSeconds", org.hamcrest.Matchers.greaterThanOrEqualTo(0));
        models.stop(); // what a restart does to a running build
        ModelVersion interrupted = registry.find(CANDIDATE).orElseThrow();
        assertThat(interrupted.state()).isEqualTo(ModelVersion.State.INDEXING);
        assertThat(interrupted.indexed()).isLessThan(interrupted.total());
        assertThat(interrupted.resumeAfter()).isNotNull();

        models.start();
        await().atMost(EVENTUALLY).untilAsserted(() -> {
            ModelVersion resumed = registry.find(CANDIDATE).orElseThrow();
            assertThat(resumed.state()).as("the resumed build (error: %s)", resumed.error())
                    .isEqualTo(ModelVersion.State.READY);
        });
        given().get("/v1/models/" + CANDIDATE).then().body("state", equalTo("ready"))
                .body("progress.percent", equalTo(100.0f)).body("progress.etaSeconds", org.hamcrest.Matchers.nullValue());
        ModelVersion ready = registry.find(CANDIDATE).orElseThrow();
        assertThat(ready.indexed()).isEqualTo(ready.total()).isEqualTo(store.collection(ready.collection(), 384).count());
        assertThat(ready.indexed()).isGreaterThanOrEqualTo(interrupted.indexed());

        // a catalog change after the build reaches the ready collection through the pipeline
        given().contentType(ContentType.JSON).body(Map.of("title", "Late product of the model shop", "brand", "Acme",
                        "categoryPath", List.of(SHOP), "price", 99, "currency", "USD"))
                .put("/v1/catalog/products/late-" + SHOP).then().statusCode(202);
        await().atMost(EVENTUALLY).until(() -> store.collection(ready.collection(), 384).get(List.of("late-" + SHOP))
                .containsKey("late-" + SHOP));
    }

    @Test
    @Order(4)
    void promote_switches_every_list_at_once_without_a_failed_or_empty_answer_and_rollback_returns() throws Exception {
        AtomicBoolean running = new AtomicBoolean(true);
        List<String> problems = Collections.synchronizedList(new ArrayList<>());
        List<String> versionsSeen = Collections.synchronizedList(new ArrayList<>());
        Thread shopper = new Thread(() -> {
            while (running.get()) {
                var search = given().queryParam("q", "product").queryParam("category", SHOP).queryParam("limit", 10)
                        .get("/v1/search");
                var similar = given().queryParam("limit", 5).get("/v1/products/m3-" + SHOP + "/similar");
                for (var r : List.of(search, similar)) {
                    if (r.statusCode() != 200 || r.jsonPath().getList("items").isEmpty()) {
                        problems.add(r.statusCode() + " " + r.asString());
                    } else {
                        versionsSeen.add(r.jsonPath().getString("modelVersion"));
                    }
                }
            }
        });
        shopper.start();
        try {
            await().atMost(EVENTUALLY).until(() -> versionsSeen.size() > 10);
            // forced: this test is about the switch; the evaluation gate has its own test
            given().header("X-Actor", "ds-team").queryParam("force", true).post("/v1/models/" + CANDIDATE + "/promote")
                    .then().statusCode(200)
                    .body("version", equalTo(CANDIDATE)).body("previous", equalTo(BASE))
                    .body("actor", matchesPattern("key:embedded-operator#\\d+ for ds-team"));
            int atPromotion = versionsSeen.size();
            await().atMost(EVENTUALLY).until(() -> versionsSeen.size() > atPromotion + 10);
        } finally {
            running.set(false);
            shopper.join();
        }
        assertThat(problems).isEmpty();
        assertThat(versionsSeen.get(versionsSeen.size() - 1)).isEqualTo(CANDIDATE);
        assertThat(store.aliasTarget("products")).contains(registry.find(CANDIDATE).orElseThrow().collection());
        given().get("/v1/models").then().body("active", equalTo(CANDIDATE))
                .body("versions.find { it.version == '" + BASE + "' }.state", equalTo("ready"));

        given().post("/v1/models/rollback").then().statusCode(200).body("version", equalTo(BASE))
                .body("previous", equalTo(CANDIDATE)).body("reason", equalTo("rollback"));
        given().queryParam("q", "product").queryParam("category", SHOP).get("/v1/search").then()
                .body("modelVersion", equalTo(BASE));
        given().post("/v1/models/" + BASE + "/retire").then().statusCode(409); // it serves
        given().post("/v1/models/" + CANDIDATE + "/retire").then().statusCode(200).body("state", equalTo("retired"));
        assertThat(store.collections()).doesNotContain(registry.find(CANDIDATE).orElseThrow().collection());
    }

    @Test
    @Order(5)
    void fine_tuning_trains_an_adapter_on_co_engagement_registers_it_and_builds_its_index() throws Exception {
        // shoppers move through the shop in runs of three: plenty of co-engagement links
        for (int s = 0; s < 12; s++) {
            String shopper = "ft-" + UUID.randomUUID().toString().substring(0, 8);
            StringBuilder events = new StringBuilder();
            for (int k = 0; k < 3; k++) {
                String product = "m" + ((s * 3 + k) % 40) + "-" + SHOP;
                events.append(events.isEmpty() ? "" : ",").append("{\"eventId\":\"").append(UUID.randomUUID())
                        .append("\",\"type\":\"pin\",\"userId\":\"").append(shopper).append("\",\"productId\":\"")
                        .append(product).append("\",\"occurredAt\":\"").append(java.time.Instant.now().minusSeconds(60 - k))
                        .append("\"}");
            }
            given().contentType(ContentType.JSON).body("{\"events\":[" + events + "]}").post("/v1/events").then().statusCode(202);
        }
        String tuned = TUNED;
        register(Map.of("version", "adapter-without-base", "kind", "adapter", "adapterPath", "/nowhere.adapter"))
                .statusCode(400).body("errors.field", hasItem("base")).body("errors.field", hasItem("adapterPath"));
        given().contentType(ContentType.JSON).body(Map.of("version", tuned, "epochs", 0)).post("/v1/models/" + BASE + "/fine-tune")
                .then().statusCode(400).body("errors[0].field", equalTo("epochs"));

        await().atMost(EVENTUALLY).untilAsserted(() -> given().get("/v1/training-data/pairs?minWeight=0.5").then()
                .statusCode(200).body(org.hamcrest.Matchers.containsString(SHOP)));
        given().contentType(ContentType.JSON).body(Map.of("version", tuned, "epochs", 3, "minWeight", 0.5))
                .post("/v1/models/" + BASE + "/fine-tune").then().statusCode(202)
                .body("state", equalTo("training")).body("base", equalTo(BASE));

        await().atMost(EVENTUALLY).untilAsserted(() -> given().get("/v1/models/fine-tunes/" + tuned).then()
                .statusCode(200).body("state", equalTo("registered")));
        given().get("/v1/models/fine-tunes/" + tuned).then().body("epoch", equalTo(3)).body("loss", org.hamcrest.Matchers.notNullValue())
                .body("percent", equalTo(100.0f)).body("etaSeconds", org.hamcrest.Matchers.nullValue());
        given().get("/v1/models/fine-tunes").then().statusCode(200)
                .body("jobs.find { it.version == '" + tuned + "' }.state", equalTo("registered"))
                .body("jobs.find { it.version == '" + tuned + "' }.base", equalTo(BASE));
        await().atMost(EVENTUALLY).untilAsserted(() -> given().get("/v1/models/" + tuned).then()
                .body("kind", equalTo("adapter")).body("spec.base", equalTo(BASE)).body("state", equalTo("ready")));
        String product = "m7-" + SHOP;
        float[] base = store.collection(registry.find(BASE).orElseThrow().collection(), 384).get(List.of(product))
                .get(product).vector();
        float[] adapted = store.collection(registry.find(tuned).orElseThrow().collection(), 384).get(List.of(product))
                .get(product).vector();
        assertThat(adapted).hasSize(384).isNotEqualTo(base); // the trained adapter moved the vector

        // every instance loads the adapter from the registry, not from this instance's disk
        Path file = Path.of(given().get("/v1/models/fine-tunes/" + tuned).then().extract().jsonPath().getString("adapterPath"));
        assertThat(ResidualAdapter.fromBytes(registry.artifact(tuned).orElseThrow(), "registry"))
                .isEqualTo(ResidualAdapter.load(file));

        // a job whose instance stopped renewing it (a restart mid-training) reads as failed and can run again
        String interrupted = "bge-ft-cut-" + UUID.randomUUID().toString().substring(0, 6);
        sql("INSERT INTO fine_tune_jobs (version, base, state, epochs, heartbeat) VALUES ($1, '" + BASE + "', 'training',"
                + " 4, now() - interval '1 hour')", interrupted);
        given().get("/v1/models/fine-tunes/" + interrupted).then().statusCode(200).body("state", equalTo("failed"))
                .body("error", org.hamcrest.Matchers.containsString("interrupted"));
        given().contentType(ContentType.JSON).body(Map.of("version", interrupted, "epochs", 1, "minWeight", 0.5))
                .post("/v1/models/" + BASE + "/fine-tune").then().statusCode(202).body("state", equalTo("training"));
        await().atMost(EVENTUALLY).untilAsserted(() -> given().get("/v1/models/fine-tunes/" + interrupted).then()
                .body("state", equalTo("registered")));
        given().get("/v1/models/fine-tunes/never-started").then().statusCode(404);
    }

    @Test
    @Order(6)
    void promote_refuses_a_version_that_scores_worse_on_held_out_engagement_unless_forced() throws Exception {
        // themed products, and shoppers who stay within a theme: the base model finds the next one. The product each
        // shopper goes to in the test window is one nobody engaged with before: co-engagement and trending cannot
        // find it, only a model that knows what looks alike can (the gate scores the whole blend)
        String[] themes = {"red ceramic tea cup", "steel camping axe", "wool knitted beanie"};
        for (int t = 0; t < themes.length; t++) {
            for (int i = 0; i < 14; i++) {
                given().contentType(ContentType.JSON).body(Map.of("title", themes[t] + " model " + (char) ('A' + i),
                                "brand", "Theme" + t, "categoryPath", List.of(SHOP + "-gate"), "price", 20, "currency", "USD"))
                        .put("/v1/catalog/products/g" + t + "-" + i + "-" + SHOP).then().statusCode(202);
            }
        }
        await().atMost(EVENTUALLY).untilAsserted(() -> given().queryParam("q", "model").queryParam("category", SHOP + "-gate")
                .queryParam("limit", 100).get("/v1/search").then().body("items.size()", equalTo(42)));
        List<String> shoppers = new ArrayList<>();
        // the gate cuts engagement in time: history days ago, then a product in the last minute (the validation
        // window) and one just after (the test window), all after everyone else's engagement
        java.time.Instant now = java.time.Instant.now();
        for (int s = 0; s < 30; s++) {
            String shopper = "gate-" + UUID.randomUUID().toString().substring(0, 8);
            shoppers.add(shopper);
            int t = s % themes.length;
            StringBuilder events = new StringBuilder();
            for (int k = 0; k < 4; k++) {
                java.time.Instant at = k < 2 ? now.minus(java.time.Duration.ofDays(3 - k)) : now.minusSeconds(k == 2 ? 20 : 10);
                int product = k < 3 ? (s + k) % 4 : 4 + s / 3;
                events.append(events.isEmpty() ? "" : ",").append("{\"eventId\":\"").append(UUID.randomUUID())
                        .append("\",\"type\":\"pin\",\"userId\":\"").append(shopper).append("\",\"productId\":\"g")
                        .append(t).append('-').append(product).append('-').append(SHOP).append("\",\"occurredAt\":\"")
                        .append(at.plusMillis(s)).append("\"}");
            }
            given().contentType(ContentType.JSON).body("{\"events\":[" + events + "]}").post("/v1/events").then().statusCode(202);
        }
        for (String shopper : shoppers) {
            await().atMost(EVENTUALLY).untilAsserted(() -> given().get("/v1/users/" + shopper + "/profile").then()
                    .statusCode(200));
        }

        // an adapter that collapses the space: e + W·e = (v·e)·u with W = −I + u·vᵀ, so every product lands on
        // ±u and neighbours are arbitrary (a random full-rank W would keep neighbourhoods, Johnson–Lindenstrauss)
        java.util.Random random = new java.util.Random(1);
        float[] u = new float[384];
        float[] v = new float[384];
        for (int i = 0; i < 384; i++) {
            u[i] = (float) random.nextGaussian();
            v[i] = (float) random.nextGaussian();
        }
        float[] w = new float[384 * 384]; // column-major: w[c * d + r] = W[r][c]
        for (int r = 0; r < 384; r++) {
            for (int c = 0; c < 384; c++) {
                w[c * 384 + r] = u[r] * v[c] - (r == c ? 1 : 0);
            }
        }
        Path scrambledFile = modelDir.resolve("scrambled.adapter");
        new ResidualAdapter(BASE, 384, w, Map.of("purpose", "test")).save(scrambledFile);
        String scrambled = "scrambled-" + UUID.randomUUID().toString().substring(0, 6);
        register(Map.of("version", scrambled, "kind", "adapter", "base", BASE, "adapterPath", scrambledFile.toString()))
                .statusCode(201).body("kind", equalTo("adapter"));
        given().post("/v1/models/" + scrambled + "/index").then().statusCode(202);
        await().atMost(EVENTUALLY).untilAsserted(() -> given().get("/v1/models/" + scrambled).then().body("state", equalTo("ready")));

        given().post("/v1/models/" + scrambled + "/promote").then().statusCode(409) // never evaluated
                .body("detail", org.hamcrest.Matchers.containsString("Evaluate it first"));
        given().post("/v1/models/" + scrambled + "/evaluate").then().statusCode(202);
        await().atMost(EVENTUALLY).untilAsserted(() -> given().get("/v1/models/" + scrambled + "/evaluation").then()
                .body("state", equalTo("done")));
        var comparison = given().get("/v1/models/" + scrambled + "/evaluation").then().extract().jsonPath()
                .setRootPath("verdict");
        assertThat(comparison.getInt("candidate.shoppers")).as(comparison.prettify()).isGreaterThanOrEqualTo(20);
        assertThat(comparison.getInt("active.shoppers")).isEqualTo(comparison.getInt("candidate.shoppers"));
        assertThat(comparison.getDouble("active.ndcg.value")).as(comparison.prettify())
                .isGreaterThan(comparison.getDouble("candidate.ndcg.value"));
        assertThat(comparison.getDouble("active.ndcg.low")).isLessThanOrEqualTo(comparison.getDouble("active.ndcg.value"));
        assertThat(comparison.getMap("active.feedWeights")).containsKeys("profile", "similar", "coEngagement", "trending");
        assertThat(comparison.getString("window.cutOff")).isNotNull();
        assertThat(comparison.getBoolean("worse")).isTrue();
        given().post("/v1/models/" + scrambled + "/promote").then().statusCode(409)
                .body("detail", org.hamcrest.Matchers.containsString("NDCG@10"))
                .body("detail", org.hamcrest.Matchers.containsString("force=true"))
                .body("evaluation.verdict.worse", equalTo(true));
        given().get("/v1/models").then().body("active", equalTo(BASE));
        given().queryParam("force", true).post("/v1/models/" + scrambled + "/promote").then().statusCode(200);
        given().post("/v1/models/rollback").then().statusCode(200).body("version", equalTo(BASE));
    }

    @Test
    @Order(7)
    void an_experiment_serves_the_treatment_to_a_stable_share_of_shoppers_and_counts_what_they_do() {
        String url = "/v1/models/experiment";
        experiment(Map.of("treatment", TUNED, "percent", 0)).statusCode(400).body("errors[0].field", equalTo("percent"));
        experiment(Map.of("percent", 10)).statusCode(400).body("errors[0].field", equalTo("treatment"));
        experiment(Map.of("control", TUNED, "treatment", BASE, "percent", 10)).statusCode(400)
                .body("errors[0].field", equalTo("control"));
        experiment(Map.of("treatment", "nope", "percent", 10)).statusCode(400).body("errors[0].field", equalTo("treatment"));
        experiment(Map.of("treatment", CANDIDATE, "percent", 10)).statusCode(409); // retired in test 4

        long id = experiment(Map.of("control", BASE, "treatment", TUNED, "percent", 50)).statusCode(200)
                .body("experiment.control", equalTo(BASE)).body("experiment.treatment", equalTo(TUNED))
                .body("experiment.percent", equalTo(50.0f)).body("experiment.endedAt", org.hamcrest.Matchers.nullValue())
                .extract().jsonPath().getLong("experiment.id");

        // who gets which version follows the hash of the experiment and the user, request after request
        Map<String, String> versionOf = new java.util.HashMap<>();
        for (int i = 0; i < 40; i++) {
            String shopper = "ab-" + i + "-" + SHOP;
            String expected = Split.bucket(id, shopper) < 5000 ? TUNED : BASE;
            for (int visit = 0; visit < 2; visit++) {
                given().queryParam("limit", 5).get("/v1/users/" + shopper + "/feed").then().statusCode(200)
                        .body("modelVersion", equalTo(expected));
            }
            given().queryParam("q", "product").queryParam("userId", shopper).queryParam("limit", 5).get("/v1/search")
                    .then().statusCode(200).body("modelVersion", equalTo(expected));
            versionOf.put(shopper, expected);
        }
        assertThat(versionOf.values()).contains(TUNED, BASE);
        given().queryParam("q", "product").get("/v1/search").then().body("modelVersion", equalTo(BASE)); // anonymous

        // what the shoppers of each variant do afterwards is counted for their variant
        java.time.Instant after = java.time.Instant.now().plusSeconds(1);
        StringBuilder clicks = new StringBuilder();
        long treatmentClicks = 0;
        for (Map.Entry<String, String> shopper : versionOf.entrySet()) {
            clicks.append(clicks.isEmpty() ? "" : ",").append("{\"eventId\":\"").append(UUID.randomUUID())
                    .append("\",\"type\":\"click\",\"userId\":\"").append(shopper.getKey())
                    .append("\",\"productId\":\"m1-").append(SHOP).append("\",\"occurredAt\":\"").append(after).append("\"}");
            treatmentClicks += shopper.getValue().equals(TUNED) ? 1 : 0;
        }
        given().contentType(ContentType.JSON).body("{\"events\":[" + clicks + "]}").post("/v1/events").then().statusCode(202);
        long expectedTreatment = treatmentClicks;
        await().atMost(EVENTUALLY).untilAsserted(() -> given().get(url).then().statusCode(200)
                .body("treatment.events.click", equalTo((int) expectedTreatment))
                .body("control.events.click", equalTo((int) (40 - expectedTreatment))));
        var report = given().get(url).then().extract().jsonPath();
        assertThat(report.getLong("treatment.lists")).isEqualTo(3 * expectedTreatment);
        assertThat(report.getLong("control.lists")).isEqualTo(3 * (40 - expectedTreatment));
        assertThat(report.getLong("treatment.items")).isPositive();
        // 40 shoppers: below the report's minimum, so nothing is judged (whether or not outcomes are recorded)
        assertThat(report.getString("comparisons.clickThrough.verdict")).startsWith("not");
        assertThat(report.getString("comparisons.clickThrough.pValue")).isNull();

        // a shopper in the treatment is served with a profile in the treatment's space
        String treated = versionOf.entrySet().stream().filter(e -> e.getValue().equals(TUNED)).findFirst().orElseThrow().getKey();
        await().atMost(EVENTUALLY).until(() -> profiles.find(treated).isPresent());
        assertThat(profiles.find(treated, assignments.assign(treated).serving()).orElseThrow().modelVersion()).isEqualTo(TUNED);
        assertThat(profiles.find(treated).orElseThrow().modelVersion()).isEqualTo(BASE);

        // a ramp-up keeps the experiment (and everyone already in the treatment there)
        experiment(Map.of("treatment", TUNED, "percent", 100)).statusCode(200).body("experiment.id", equalTo((int) id));
        versionOf.keySet().forEach(shopper -> given().queryParam("limit", 5).get("/v1/users/" + shopper + "/feed").then()
                .body("modelVersion", equalTo(TUNED)));
        given().post("/v1/models/" + TUNED + "/retire").then().statusCode(409); // it is being tested

        given().delete(url).then().statusCode(200).body("experiment.endedAt", org.hamcrest.Matchers.notNullValue())
                .body("experiment.endReason", matchesPattern("ended by key:embedded-operator#\\d+"));
        given().delete(url).then().statusCode(409);
        versionOf.keySet().forEach(shopper -> given().queryParam("limit", 5).get("/v1/users/" + shopper + "/feed").then()
                .body("modelVersion", equalTo(BASE)));
        given().get(url).then().statusCode(200).body("experiment.id", equalTo((int) id));

        // a promotion ends a running experiment: its control no longer serves
        long second = experiment(Map.of("treatment", TUNED, "percent", 5)).statusCode(200).extract().jsonPath()
                .getLong("experiment.id");
        assertThat(second).isNotEqualTo(id);
        given().queryParam("force", true).post("/v1/models/" + TUNED + "/promote").then().statusCode(200);
        given().get(url).then().body("experiment.id", equalTo((int) second))
                .body("experiment.endReason", org.hamcrest.Matchers.containsString("made active"));
        given().post("/v1/models/rollback").then().statusCode(200).body("version", equalTo(BASE));
    }

    @Test
    @Order(8)
    void a_build_another_instance_holds_is_left_to_it_and_taken_over_when_its_lease_runs_out() throws Exception {
        Path identityFile = modelDir.resolve("identity.adapter");
        new ResidualAdapter(BASE, 384, new float[384 * 384], Map.of("purpose", "test")).save(identityFile);
        String held = "held-" + UUID.randomUUID().toString().substring(0, 6);
        register(Map.of("version", held, "kind", "adapter", "base", BASE, "adapterPath", identityFile.toString()))
                .statusCode(201);
        // another instance started the build and keeps renewing its lease
        sql("UPDATE model_versions SET state = 'indexing', total = 0, build_owner = 'other-instance',"
                + " build_heartbeat = now() + interval '1 hour' WHERE version = $1", held);
        Thread.sleep(3 * 1000); // three registry polls here
        ModelVersion waiting = registry.find(held).orElseThrow();
        assertThat(waiting.state()).isEqualTo(ModelVersion.State.INDEXING);
        assertThat(waiting.indexed()).isZero();
        assertThat(owner(held)).isEqualTo("other-instance");

        // it stops renewing (a crash): this instance takes the build over and finishes it
        sql("UPDATE model_versions SET build_heartbeat = now() - interval '1 hour' WHERE version = $1", held);
        await().atMost(EVENTUALLY).untilAsserted(() -> given().get("/v1/models/" + held).then()
                .body("state", equalTo("ready")));
        assertThat(owner(held)).isNull();
        ModelVersion ready = registry.find(held).orElseThrow();
        assertThat(ready.indexed()).isEqualTo(store.collection(ready.collection(), 384).count()).isPositive();
        given().post("/v1/models/" + held + "/retire").then().statusCode(200);
    }

    private void sql(String statement, String version) {
        pool.preparedQuery(statement).execute(io.vertx.mutiny.sqlclient.Tuple.of(version)).await().atMost(Duration.ofSeconds(30));
    }

    private String owner(String version) {
        return pool.preparedQuery("SELECT build_owner FROM model_versions WHERE version = $1")
                .execute(io.vertx.mutiny.sqlclient.Tuple.of(version)).await().atMost(Duration.ofSeconds(30))
                .iterator().next().getString(0);
    }

    private static io.restassured.response.ValidatableResponse experiment(Map<String, Object> body) {
        return given().contentType(ContentType.JSON).body(body).put("/v1/models/experiment").then();
    }

    private static io.restassured.response.ValidatableResponse register(Map<String, Object> body) {
        return given().contentType(ContentType.JSON).body(body).post("/v1/models").then();
    }

    private static String modelPath() {
        return modelDir.resolve("bge-small-en-v1.5-q.onnx").toString();
    }

    private static String tokenizerPath() {
        return modelDir.resolve("bge-small-en-v1.5-q-tokenizer.json").toString();
    }
}

package io.tastemaker.evaluation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tastemaker.recommend.BlendDefaults;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * {@code evaluate --fine-tune} end to end (real model, real embedded index) on a shop where the
 * titles say nothing about what comes next: shoppers walk fixed chains of unrelated products.
 * The base model's content path cannot know a chain; an adapter trained on the training part of
 * the walks can, and the blend keeps its co-engagement either way.
 */
class FineTuneComparisonTest {

    private static final String[] TITLES = {"Red matte lipstick", "Shampoo for dry hair", "Nail polish, coral",
            "Mineral sunscreen SPF 50", "Lip liner pencil", "Hair conditioner with argan oil", "Nail polish remover",
            "After-sun lotion with aloe", "Volumizing mascara", "Tea tree face wash", "Cuticle oil pen",
            "Bronzing powder", "Rose water toner", "Curling iron, ceramic", "Eyebrow gel, clear", "Foot cream"};

    @Test
    void the_fine_tuned_content_path_learns_the_chains_the_titles_cannot_tell() throws Exception {
        FineTuneOptions options = FineTuneOptions.parse(List.of("--fine-tune", "--tau", "0.1",
                "--lr", "0.003,0.01", "--epochs", "5,20", "--window", "1", "--batch", "32"));
        ByteArrayOutputStream log = new ByteArrayOutputStream();

        FineTuneComparison.Result result = FineTuneComparison.compare(chains(), options,
                new PrintStream(log, true, StandardCharsets.UTF_8));

        assertThat(result.fineTuned().contentOnly().ndcg(5)).isGreaterThan(result.base().contentOnly().ndcg(5) + 0.2);
        assertThat(result.fineTuned().contentOnly().cases()).isEqualTo(120);
        assertThat(result.fineTuned().blend().ndcg(5)).isGreaterThanOrEqualTo(0.9);
        assertThat(result.chosen().epochs()).isIn(5, 20);
        assertThat(result.table()).contains("content-only, base", "content-only, fine-tuned adapter", "blend, base",
                "blend, fine-tuned adapter", "chosen on validation", "| base |");
    }

    @Test
    void an_adapter_cache_trains_both_passes_once_and_a_second_run_reuses_them(@TempDir Path dir) throws Exception {
        Path cache = dir.resolve("adapters");
        List<String> flags = List.of("--fine-tune", "--tau", "0.1", "--lr", "0.01", "--epochs", "5,20", "--window", "1",
                "--batch", "32", "--adapter-cache", cache.toString());
        ByteArrayOutputStream firstLog = new ByteArrayOutputStream();
        FineTuneComparison.Result trained = FineTuneComparison.compare(chains(), FineTuneOptions.parse(
                concat(flags, "--train-only")), new PrintStream(firstLog, true, StandardCharsets.UTF_8));

        assertThat(trained.fineTuned()).isNull();
        assertThat(cache.resolve(FineTuneComparison.VALIDATION_ADAPTER)).exists();
        assertThat(cache.resolve(FineTuneComparison.TEST_ADAPTER)).exists();
        assertThat(firstLog.toString(StandardCharsets.UTF_8)).contains("Training an adapter");

        ByteArrayOutputStream secondLog = new ByteArrayOutputStream();
        FineTuneComparison.Result reused = FineTuneComparison.compare(chains(), FineTuneOptions.parse(
                concat(flags, "--skip-base")), new PrintStream(secondLog, true, StandardCharsets.UTF_8));

        String second = secondLog.toString(StandardCharsets.UTF_8);
        assertThat(second).contains("Reusing the adapters in").doesNotContain("Training an adapter");
        assertThat(reused.base()).isNull();
        // the validation adapter is the one the search chose: the same search score as when trained
        assertThat(reused.chosen().validation().ndcg(10)).isCloseTo(trained.chosen().validation().ndcg(10), within(1e-9));
        assertThat(reused.chosen().epochs()).isEqualTo(trained.chosen().epochs());
        assertThat(reused.fineTuned().contentOnly().ndcg(5)).isGreaterThan(0.5);
        assertThat(reused.table()).contains("blend, fine-tuned adapter", "coEngagement alone, fine-tuned adapter");
    }

    @Test
    void an_adapter_cache_refuses_a_grid_it_cannot_hold(@TempDir Path dir) {
        FineTuneOptions options = FineTuneOptions.parse(List.of("--fine-tune", "--lr", "0.003,0.01",
                "--adapter-cache", dir.toString()));

        assertThatThrownBy(() -> FineTuneComparison.compare(chains(), options,
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("one grid point");
    }

    private static List<String> concat(List<String> flags, String flag) {
        List<String> all = new ArrayList<>(flags);
        all.add(flag);
        return all;
    }

    /** 120 shoppers walking one of two cycles of 8 unrelated products. */
    private static Interactions chains() {
        Random random = new Random(11);
        List<int[]> sequences = new ArrayList<>();
        for (int user = 0; user < 120; user++) {
            int chain = random.nextInt(2); // items 1..8 or 9..16, walked in a cycle
            int start = random.nextInt(8);
            int[] items = new int[6];
            for (int i = 0; i < items.length; i++) {
                items[i] = chain * 8 + (start + i) % 8 + 1;
            }
            sequences.add(items);
        }
        Map<Integer, String> titles = new HashMap<>();
        for (int i = 0; i < TITLES.length; i++) {
            titles.put(i + 1, TITLES[i]);
        }
        return new Interactions(16, sequences, titles);
    }

    @Test
    void the_json_report_holds_both_models_the_chosen_point_and_every_search_trial(@TempDir Path dir) throws Exception {
        FineTuneOptions options = FineTuneOptions.parse(List.of("--fine-tune", "--tau", "0.1",
                "--lr", "0.01", "--epochs", "5,20", "--window", "1", "--examples", "pairs,next", "--anchors", "2", "--schedule",
                "constant,cosine", "--batch", "32", "--json", dir.resolve("out/fine-tune.json").toString()));
        Interactions data = chains();

        FineTuneComparison.Result result = FineTuneComparison.compare(data, options,
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        FineTuneJson.write(options.json(), "chains", data, options, result, 12.5);
        JsonNode json = new ObjectMapper().readTree(dir.resolve("out/fine-tune.json").toFile());

        assertThat(json.path("dataset").asText()).isEqualTo("chains");
        assertThat(json.path("shoppers").asInt()).isEqualTo(120);
        assertThat(json.path("items").asInt()).isEqualTo(16);
        assertThat(json.path("elapsedSeconds").asDouble()).isEqualTo(12.5);
        assertThat(json.path("machine").path("cores").asInt()).isPositive();
        assertThat(json.path("machine").path("jvm").asText()).isNotBlank();
        for (String model : List.of("base", "fineTuned")) {
            for (String path : List.of("contentOnly", "blend")) {
                JsonNode test = json.path(model).path(path).path("test");
                assertThat(test.fieldNames()).toIterable().containsExactly("hr@5", "hr@10", "hr@20", "ndcg@5",
                        "ndcg@10", "ndcg@20", "cases");
                assertThat(json.path(model).path(path).path("weights").isObject()).isTrue();
            }
        }
        assertThat(json.path("fineTuned").path("contentOnly").path("test").path("ndcg@10").asDouble())
                .isEqualTo(result.fineTuned().contentOnly().ndcg(10));
        assertThat(json.path("base").path("blend").path("test").path("hr@10").asDouble())
                .isEqualTo(result.base().blend().hitRate(10));
        for (String model : List.of("base", "fineTuned")) {
            BlendEvaluation.Report report = model.equals("base") ? result.base() : result.fineTuned();
            assertThat(json.path(model).path("blend").path("coEngagementFloor").asDouble())
                    .isEqualTo(report.blendCoEngagementFloor());
            JsonNode alone = json.path(model).path("eachSourceAlone");
            assertThat(alone.fieldNames()).toIterable().containsExactlyInAnyOrderElementsOf(report.alone().keySet());
            assertThat(alone.path("coEngagement").path("ndcg@10").asDouble())
                    .isEqualTo(report.alone().get("coEngagement").ndcg(10));
        }
        // 2 kinds of examples × (constant: epochs 5 and 20 off one run + cosine: one run per count)
        JsonNode trials = json.path("validationSearch").path("trials");
        assertThat(trials).hasSize(8);
        assertThat(trials.findValues("chosen")).filteredOn(JsonNode::asBoolean).hasSize(1);
        assertThat(trials.findValuesAsText("examples")).contains("pairs", "next");
        assertThat(trials.findValuesAsText("schedule")).contains("constant", "cosine");
        assertThat(trials.get(0).has("ndcg@10")).isTrue();
        assertThat(json.path("chosen").path("epochs").asInt()).isEqualTo(result.chosen().epochs());
        assertThat(result.table()).contains("| anchors |", "2 (decay " + BlendDefaults.ANCHOR_DECAY + ")");
    }

    @Test
    void unknown_flags_and_missing_values_are_refused() {
        assertThatThrownBy(() -> FineTuneOptions.parse(List.of("--fine-tune", "--schedule", "linear")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("constant or cosine");
        assertThatThrownBy(() -> FineTuneOptions.parse(List.of("--fine-tune", "--temperature", "0.1")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--temperature");
        assertThatThrownBy(() -> FineTuneOptions.parse(List.of("--fine-tune", "--tau")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Missing required parameter for option '--tau'");
        assertThatThrownBy(() -> FineTuneOptions.parse(List.of("--tau", "0.1")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--fine-tune");
        assertThat(FineTuneOptions.parse(List.of("--fine-tune", "--window", "1,2,3")).windows())
                .containsExactly(1, 2, 3);
    }

    @Test
    void the_offline_recipe_defaults_to_the_serving_blend_and_the_published_point() {
        FineTuneOptions defaults = FineTuneOptions.parse(List.of("--fine-tune"));

        assertThat(defaults.anchorDecay()).isEqualTo(Double.parseDouble(BlendDefaults.ANCHOR_DECAY));
        assertThat(defaults.anchors()).isEqualTo(Integer.parseInt(BlendDefaults.ANCHORS));
        assertThat(defaults.temperatures()).containsExactly(0.1);
        assertThat(defaults.learningRates()).containsExactly(0.001);
        assertThat(defaults.epochs()).containsExactly(6);
        assertThat(defaults.weightDecays()).containsExactly(0.0);
        assertThat(defaults.examples()).containsExactly(FineTuneOptions.Examples.PAIRS);
        assertThat(defaults.windows()).containsExactly(2);
        assertThat(defaults.pairDecay()).isEqualTo(0.8);
        assertThat(defaults.cosine()).containsExactly(false);
        assertThat(defaults.logQ()).containsExactly(1.0);
        assertThat(defaults.batchSize()).isEqualTo(512);
        assertThat(defaults.seed()).isEqualTo(7);
        assertThat(defaults.searchShoppers()).isEqualTo(8000);
        assertThat(defaults.searchOnly()).isFalse();
        assertThat(defaults.adapterOut()).isNull();
        assertThat(defaults.json()).isNull();
        assertThat(FineTuneOptions.parse(List.of("--fine-tune", "--log-q", "off,on,0.5", "--examples", "links,NEXT"))
                .logQ()).containsExactly(0.0, 1.0, 0.5);
    }

    @Test
    void the_evaluate_command_refuses_a_wrong_option_with_the_usage_on_stderr_and_exit_2(@TempDir Path dir) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CommandLine evaluate = EvaluateCommand.commandLine()
                .setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));

        assertThat(evaluate.execute(dir.toString(), "--tau", "0.1")).isEqualTo(2); // a fine-tuning flag without --fine-tune
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--fine-tune", "Usage: evaluate", "--anchor-decay");
        err.reset();
        assertThat(evaluate.execute(dir.toString(), "--fine-tune", "--schedule", "linear")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("constant or cosine", "Usage: evaluate");
        err.reset();
        assertThat(evaluate.execute()).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("DIR", "Usage: evaluate");
        err.reset();
        assertThat(evaluate.execute(dir.toString())).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("No recognised dataset layout in", "RecBole atomic files");
    }
}

package io.tastemaker.models.training;

import io.tastemaker.profiles.TasteProfile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * The adapter on a synthetic shop whose right neighbours are known: items fall in hidden groups,
 * each base vector carries its group in a few weak dimensions under louder noise (as a title
 * carries what a shopper buys together among words that do not matter), and shoppers engage
 * within groups. Only training can tell the adapter which dimensions matter.
 */
class AdapterTrainerTest {

    private static final int GROUPS = 16;
    private static final int PER_GROUP = 12;
    private static final int ITEMS = GROUPS * PER_GROUP;
    private static final int SIGNAL = 8;
    private static final int DIM = 48;
    private static final AdapterTrainer.Settings SETTINGS = new AdapterTrainer.Settings(0.1, 0.01, 8, 64, 1e-4, 42);

    private final float[][] vectors = baseVectors(new Random(1));
    private final List<TrainingPair> pairs = groupPairs(new Random(2), 3000);

    @Test
    void training_brings_group_mates_into_each_others_nearest_neighbours() {
        List<Double> losses = new ArrayList<>();
        ResidualAdapter adapter = new AdapterTrainer(SETTINGS).train("synthetic", vectors, pairs,
                (epoch, batch, batches, loss) -> losses.add(loss));

        double base = groupRecall(ResidualAdapter.identity("synthetic", DIM));
        double tuned = groupRecall(adapter);
        System.out.printf("group-mate recall@%d: base %.3f, adapted %.3f%n", PER_GROUP - 1, base, tuned);
        assertThat(base).isLessThan(0.3);
        assertThat(tuned).isGreaterThan(0.8);
        assertThat(losses).hasSize(SETTINGS.epochs() * (pairs.size() / 64 + 1));
        assertThat(average(losses.subList(losses.size() - 10, losses.size())))
                .isLessThan(0.7 * average(losses.subList(0, 10)));
    }

    @Test
    void the_untrained_adapter_is_exactly_the_identity() {
        Random random = new Random(3);
        ResidualAdapter untrained = new AdapterTrainer(new AdapterTrainer.Settings(0.1, 0.01, 0, 64, 0, 1))
                .train("synthetic", vectors, pairs, AdapterTrainer.Progress.NONE);
        for (int i = 0; i < 50; i++) {
            float[] v = new float[DIM];
            for (int d = 0; d < DIM; d++) {
                v[d] = (float) (random.nextGaussian() * (i + 1));
            }
            assertThat(ResidualAdapter.identity("synthetic", DIM).apply(v)).containsExactly(v);
            assertThat(untrained.apply(v)).containsExactly(v);
        }
    }

    @Test
    void the_adapted_vector_is_normalised_to_unit_length_for_unit_base_vectors() {
        ResidualAdapter adapter = new AdapterTrainer(SETTINGS).train("synthetic", vectors, pairs,
                AdapterTrainer.Progress.NONE);
        float[] adapted = adapter.apply(vectors[5]);
        assertThat(ResidualAdapter.length(adapted)).isCloseTo(1.0, within(1e-5));
        assertThat(adapted).isNotEqualTo(vectors[5]);
    }

    @Test
    void the_same_seed_gives_the_same_adapter_and_another_seed_another() {
        ResidualAdapter first = new AdapterTrainer(SETTINGS).train("synthetic", vectors, pairs, AdapterTrainer.Progress.NONE);
        ResidualAdapter again = new AdapterTrainer(SETTINGS).train("synthetic", vectors, pairs, AdapterTrainer.Progress.NONE);
        AdapterTrainer.Settings otherSeed = new AdapterTrainer.Settings(0.1, 0.01, 8, 64, 1e-4, 43);
        ResidualAdapter other = new AdapterTrainer(otherSeed).train("synthetic", vectors, pairs, AdapterTrainer.Progress.NONE);

        assertThat(first).isEqualTo(again);
        assertThat(first).isNotEqualTo(ResidualAdapter.identity("synthetic", DIM).describedBy(first.hyperParameters()));
        assertThat(other.describedBy(first.hyperParameters())).isNotEqualTo(first);
    }

    @Test
    void an_adapter_survives_a_save_and_load_with_its_base_and_hyper_parameters(@TempDir Path dir) throws IOException {
        ResidualAdapter adapter = new AdapterTrainer(SETTINGS).train("bge-small-en-v1.5-q", vectors, pairs,
                AdapterTrainer.Progress.NONE).describedBy(Map.of("pairWindow", "3", "temperature", "0.1"));
        Path file = dir.resolve("adapters/v2.adapter");

        adapter.save(file);
        ResidualAdapter loaded = ResidualAdapter.load(file);

        assertThat(loaded).isEqualTo(adapter);
        assertThat(loaded.baseModel()).isEqualTo("bge-small-en-v1.5-q");
        assertThat(loaded.dimension()).isEqualTo(DIM);
        assertThat(loaded.hyperParameters()).containsEntry("pairWindow", "3").containsEntry("temperature", "0.1");
        assertThat(loaded.apply(vectors[7])).containsExactly(adapter.apply(vectors[7]));
        assertThat(Files.size(file)).isLessThan(DIM * DIM * 4 + 200);
    }

    @Test
    void a_file_of_another_format_version_is_refused(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("future.adapter");
        try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(file))) {
            out.writeInt(0x544D4144);
            out.writeInt(ResidualAdapter.FORMAT_VERSION + 1);
        }
        assertThatThrownBy(() -> ResidualAdapter.load(file)).isInstanceOf(IOException.class)
                .hasMessageContaining("format " + (ResidualAdapter.FORMAT_VERSION + 1));
    }

    @Test
    void pairs_link_each_item_to_the_next_ones_in_the_window_with_decaying_weight() {
        List<TrainingPair> built = CoEngagementPairs.build(List.of(new int[]{1, 2, 3, 3, 4}), 0, 2, 0.5);

        assertThat(built).containsExactly(new TrainingPair(1, 2, 1), new TrainingPair(1, 3, 0.5),
                new TrainingPair(2, 3, 1), new TrainingPair(2, 3, 0.5), new TrainingPair(3, 4, 0.5),
                new TrainingPair(3, 4, 1));
    }

    @Test
    void pairs_never_mention_a_held_out_item() {
        // every shopper's validation item (1000 + u) and test item (2000 + u) occur nowhere else
        List<int[]> sequences = sequencesWithHeldOutItems(4);

        List<TrainingPair> forValidation = CoEngagementPairs.build(sequences, 2, 3, 0.8);
        List<TrainingPair> forTest = CoEngagementPairs.build(sequences, 1, 3, 0.8);

        assertThat(forValidation).isNotEmpty().allMatch(p -> p.anchor() < 1000 && p.positive() < 1000);
        assertThat(forTest).allMatch(p -> p.anchor() < 2000 && p.positive() < 2000)
                .anyMatch(p -> p.positive() >= 1000);
    }

    @Test
    void next_item_examples_anchor_each_item_on_the_recent_distinct_items_before_it() {
        List<TrainingExample> built = NextItemExamples.build(List.of(new int[]{1, 2, 2, 3, 4}), 0, 2, 0.5);

        assertThat(built).containsExactly(
                new TrainingExample(new int[]{1}, new float[]{1f}, 2, 1),
                // the second 2 is skipped: it is its own most recent anchor
                new TrainingExample(new int[]{2, 1}, new float[]{1f, 0.5f}, 3, 1),
                new TrainingExample(new int[]{3, 2}, new float[]{1f, 0.5f}, 4, 1));
    }

    @Test
    void next_item_examples_never_mention_a_held_out_item() {
        List<int[]> sequences = sequencesWithHeldOutItems(5);

        List<TrainingExample> forValidation = NextItemExamples.build(sequences, 2, 3, 0.6);
        List<TrainingExample> forTest = NextItemExamples.build(sequences, 1, 3, 0.6);

        assertThat(forValidation).isNotEmpty().allMatch(x -> x.positive() < 1000
                && Arrays.stream(x.context()).allMatch(item -> item < 1000));
        assertThat(forTest).allMatch(x -> x.positive() < 2000 && Arrays.stream(x.context()).allMatch(item -> item < 2000))
                .anyMatch(x -> x.positive() >= 1000);
    }

    @Test
    void training_on_next_items_from_recent_anchors_brings_group_mates_together() {
        Random random = new Random(6);
        List<int[]> sequences = new ArrayList<>();
        for (int u = 0; u < 600; u++) {
            int group = random.nextInt(GROUPS);
            int[] items = new int[5];
            for (int i = 0; i < items.length; i++) {
                items[i] = group * PER_GROUP + random.nextInt(PER_GROUP);
            }
            sequences.add(items);
        }
        List<TrainingExample> examples = NextItemExamples.build(sequences, 0, 3, 0.6);

        ResidualAdapter adapter = new AdapterTrainer(SETTINGS).trainOnExamples("synthetic", vectors, examples,
                AdapterTrainer.Progress.NONE, AdapterTrainer.EpochEnd.NONE);

        assertThat(examples).anyMatch(x -> x.context().length == 3);
        assertThat(groupRecall(ResidualAdapter.identity("synthetic", DIM))).isLessThan(0.3);
        assertThat(groupRecall(adapter)).isGreaterThan(0.8);
    }

    @Test
    void a_cosine_schedule_starts_at_the_learning_rate_and_ends_near_zero() {
        AdapterTrainer.Settings cosine = new AdapterTrainer.Settings(0.1, 0.01, 4, 64, 0, 42, true, 0);

        assertThat(cosine.learningRate(1, 100)).isEqualTo(0.01);
        assertThat(cosine.learningRate(51, 100)).isCloseTo(0.005, within(1e-12));
        assertThat(cosine.learningRate(100, 100)).isLessThan(1e-5).isPositive();
        assertThat(SETTINGS.learningRate(100, 100)).isEqualTo(SETTINGS.learningRate());
        assertThat(cosine.describe()).containsEntry("schedule", "cosine");
    }

    @Test
    void a_cosine_schedule_still_learns_and_differs_from_a_constant_one() {
        AdapterTrainer.Settings cosine = new AdapterTrainer.Settings(0.1, 0.01, 8, 64, 1e-4, 42, true, 0);

        ResidualAdapter withCosine = new AdapterTrainer(cosine).train("synthetic", vectors, pairs,
                AdapterTrainer.Progress.NONE);
        ResidualAdapter constant = new AdapterTrainer(SETTINGS).train("synthetic", vectors, pairs,
                AdapterTrainer.Progress.NONE);

        assertThat(groupRecall(withCosine)).isGreaterThan(0.8);
        assertThat(withCosine.describedBy(Map.of())).isNotEqualTo(constant.describedBy(Map.of()));
    }

    @Test
    void with_the_log_q_correction_a_bestseller_ranks_higher_for_the_shoppers_who_go_on_to_it() {
        // item 0 is a bestseller: shoppers of every group often go on to it. Without the correction, its
        // being in nearly every batch (as the others' negative) pushes it away from what leads to it
        Random random = new Random(7);
        List<TrainingPair> skewed = new ArrayList<>(pairs);
        for (int i = 0; i < 1500; i++) {
            skewed.add(new TrainingPair(1 + random.nextInt(ITEMS - 1), 0, 1));
        }
        AdapterTrainer.Settings corrected = new AdapterTrainer.Settings(0.1, 0.01, 8, 64, 1e-4, 42, false, 1);

        ResidualAdapter plain = new AdapterTrainer(SETTINGS).train("synthetic", vectors, skewed,
                AdapterTrainer.Progress.NONE);
        ResidualAdapter withCorrection = new AdapterTrainer(corrected).train("synthetic", vectors, skewed,
                AdapterTrainer.Progress.NONE);

        double plainRank = meanRankOfItemZero(plain);
        double correctedRank = meanRankOfItemZero(withCorrection);
        System.out.printf("item 0's mean rank among the others' neighbours: plain %.2f, logQ-corrected %.2f%n",
                plainRank, correctedRank);
        assertThat(correctedRank).isLessThan(plainRank);
        assertThat(groupRecall(withCorrection)).isGreaterThan(0.8);
        assertThat(withCorrection.hyperParameters()).containsEntry("logQCorrection", "1.0");
    }

    /** Where item 0 ranks, on average, among the cosine neighbours of every other item. */
    private double meanRankOfItemZero(ResidualAdapter adapter) {
        float[][] adapted = new float[ITEMS][];
        for (int i = 0; i < ITEMS; i++) {
            adapted[i] = adapter.apply(vectors[i]);
        }
        double total = 0;
        for (int i = 1; i < ITEMS; i++) {
            double toZero = cosine(adapted[i], adapted[0]);
            int rank = 1;
            for (int j = 1; j < ITEMS; j++) {
                if (j != i && cosine(adapted[i], adapted[j]) > toZero) {
                    rank++;
                }
            }
            total += rank;
        }
        return total / (ITEMS - 1);
    }

    @Test
    void the_service_learns_from_its_shoppers_recent_items_the_pairs_the_evaluation_measured() {
        TasteProfile first = shopper("u1", "a", "b", "c");
        TasteProfile second = shopper("u2", "c", "d");
        Map<String, Integer> rows = new java.util.LinkedHashMap<>();

        BeforeCutoff before = BeforeCutoff.of(List.of(first, second), java.time.Instant.parse("2027-01-01T00:00:00Z"), rows);
        List<int[]> sequences = before.sequences();
        List<TrainingPair> built = before.pairs(FineTuneRequest.PAIR_WINDOW, FineTuneRequest.PAIR_DECAY);

        assertThat(rows).containsExactly(Map.entry("a", 0), Map.entry("b", 1), Map.entry("c", 2), Map.entry("d", 3));
        assertThat(sequences).containsExactly(new int[]{0, 1, 2}, new int[]{2, 3});
        assertThat(built).containsExactly(new TrainingPair(0, 1, 1), new TrainingPair(0, 2, 0.8),
                new TrainingPair(1, 2, 1), new TrainingPair(2, 3, 1));
    }

    @Test
    void a_fine_tune_request_defaults_to_the_measured_recipe() {
        FineTuneRequest request = FineTuneRequest.parse(new com.fasterxml.jackson.databind.ObjectMapper()
                .createObjectNode().put("version", "shop-ft"));

        assertThat(request.settings()).isEqualTo(new AdapterTrainer.Settings(0.1, 0.001, 6, 512, 0, 42, false, 1));
        assertThat(request.minWeight()).isZero();
        assertThat(FineTuneRequest.PAIR_WINDOW).isEqualTo(2);
        assertThat(FineTuneRequest.PAIR_DECAY).isEqualTo(0.8);
    }

    private static TasteProfile shopper(String id, String... products) {
        TasteProfile profile = new TasteProfile(id);
        java.time.Instant at = java.time.Instant.parse("2026-01-01T00:00:00Z");
        for (String product : products) {
            at = at.plusSeconds(60);
            profile.apply(new TasteProfile.Engagement(product, "purchase", 1.0, at, null, null, null, null, null),
                    java.time.Duration.ofDays(14), "none");
        }
        return profile;
    }

    private static float[][] baseVectors(Random random) {
        float[][] centres = new float[GROUPS][SIGNAL];
        for (float[] c : centres) {
            for (int d = 0; d < SIGNAL; d++) {
                c[d] = (float) random.nextGaussian();
            }
            scale(c, 0.35 / ResidualAdapter.length(c));
        }
        float[][] vectors = new float[ITEMS][DIM];
        for (int item = 0; item < ITEMS; item++) {
            float[] v = vectors[item];
            System.arraycopy(centres[item / PER_GROUP], 0, v, 0, SIGNAL);
            for (int d = 0; d < DIM; d++) {
                v[d] += (float) (random.nextGaussian() / Math.sqrt(DIM - SIGNAL) * (d < SIGNAL ? 0.3 : 1));
            }
            scale(v, 1 / ResidualAdapter.length(v));
        }
        return vectors;
    }

    private static List<TrainingPair> groupPairs(Random random, int count) {
        List<TrainingPair> pairs = new ArrayList<>();
        while (pairs.size() < count) {
            int group = random.nextInt(GROUPS);
            int a = group * PER_GROUP + random.nextInt(PER_GROUP);
            int b = group * PER_GROUP + random.nextInt(PER_GROUP);
            if (a != b) {
                pairs.add(new TrainingPair(a, b, 1));
            }
        }
        return pairs;
    }

    /** Mean share of an item's group-mates among its PER_GROUP - 1 nearest neighbours (cosine). */
    private double groupRecall(ResidualAdapter adapter) {
        float[][] adapted = new float[ITEMS][];
        for (int i = 0; i < ITEMS; i++) {
            adapted[i] = adapter.apply(vectors[i]);
        }
        double total = 0;
        for (int i = 0; i < ITEMS; i++) {
            Integer[] others = new Integer[ITEMS];
            double[] sim = new double[ITEMS];
            for (int j = 0; j < ITEMS; j++) {
                others[j] = j;
                sim[j] = j == i ? Double.NEGATIVE_INFINITY : cosine(adapted[i], adapted[j]);
            }
            Arrays.sort(others, (x, y) -> Double.compare(sim[y], sim[x]));
            int mates = 0;
            for (int k = 0; k < PER_GROUP - 1; k++) {
                if (others[k] / PER_GROUP == i / PER_GROUP) {
                    mates++;
                }
            }
            total += mates / (double) (PER_GROUP - 1);
        }
        return total / ITEMS;
    }

    private static double cosine(float[] a, float[] b) {
        double dot = 0;
        for (int d = 0; d < a.length; d++) {
            dot += a[d] * b[d];
        }
        return dot / (ResidualAdapter.length(a) * ResidualAdapter.length(b));
    }

    private static void scale(float[] v, double factor) {
        for (int d = 0; d < v.length; d++) {
            v[d] *= (float) factor;
        }
    }

    private static double average(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    }

    /** 200 shoppers whose validation item (1000 + u) and test item (2000 + u) occur nowhere else. */
    private static List<int[]> sequencesWithHeldOutItems(long seed) {
        Random random = new Random(seed);
        List<int[]> sequences = new ArrayList<>();
        for (int u = 0; u < 200; u++) {
            int[] items = new int[3 + random.nextInt(6)];
            for (int i = 0; i < items.length - 2; i++) {
                items[i] = 1 + random.nextInt(50);
            }
            items[items.length - 2] = 1000 + u;
            items[items.length - 1] = 2000 + u;
            sequences.add(items);
        }
        return sequences;
    }
}

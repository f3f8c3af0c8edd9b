package io.tastemaker.evaluation;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
        FineTuneComparison.Options options = FineTuneComparison.Options.parse(List.of("--fine-tune", "--tau", "0.1",
                "--lr", "0.003,0.01", "--epochs", "5,20", "--window", "1", "--batch", "32"));
        ByteArrayOutputStream log = new ByteArrayOutputStream();

        FineTuneComparison.Result result = FineTuneComparison.compare(new Interactions(16, sequences, titles), options,
                new PrintStream(log, true, StandardCharsets.UTF_8));

        assertThat(result.fineTuned().contentOnly().ndcg(5)).isGreaterThan(result.base().contentOnly().ndcg(5) + 0.2);
        assertThat(result.fineTuned().contentOnly().cases()).isEqualTo(120);
        assertThat(result.fineTuned().blend().ndcg(5)).isGreaterThanOrEqualTo(0.9);
        assertThat(result.chosen().epochs()).isIn(5, 20);
        assertThat(result.table()).contains("content-only, base", "content-only, fine-tuned adapter", "blend, base",
                "blend, fine-tuned adapter", "chosen on validation", "| base |");
    }

    @Test
    void unknown_flags_and_missing_values_are_refused() {
        assertThatThrownBy(() -> FineTuneComparison.Options.parse(List.of("--fine-tune", "--temperature", "0.1")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--temperature");
        assertThatThrownBy(() -> FineTuneComparison.Options.parse(List.of("--fine-tune", "--tau")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs a value");
        assertThatThrownBy(() -> FineTuneComparison.Options.parse(List.of("--tau", "0.1")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(FineTuneComparison.Options.parse(List.of("--fine-tune", "--window", "1,2,3")).windows())
                .containsExactly(1, 2, 3);
    }
}

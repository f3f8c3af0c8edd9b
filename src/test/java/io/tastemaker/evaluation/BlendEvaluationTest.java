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

/**
 * The evaluation command end to end (real model, real embedded index, the service's sources and
 * fusion) on a hand-made shop whose right answer is known: every shopper walks the same cycle of
 * eight products, so the next product is always the successor of the last one. Only the
 * co-engagement learnt from other shoppers can know that; titles and popularity cannot.
 */
class BlendEvaluationTest {

    private static final String[] TITLES = {"Red matte lipstick", "Shampoo for dry hair", "Nail polish, coral",
            "Mineral sunscreen SPF 50", "Lip liner pencil", "Hair conditioner with argan oil", "Nail polish remover",
            "After-sun lotion with aloe"};

    @Test
    void the_blend_finds_the_item_every_shopper_engages_with_next() throws Exception {
        Random random = new Random(7);
        List<int[]> sequences = new ArrayList<>();
        for (int user = 0; user < 60; user++) {
            int start = random.nextInt(8);
            int[] items = new int[5];
            for (int i = 0; i < items.length; i++) {
                items[i] = (start + i) % 8 + 1;
            }
            sequences.add(items);
        }
        Map<Integer, String> titles = new HashMap<>();
        for (int i = 0; i < TITLES.length; i++) {
            titles.put(i + 1, TITLES[i]);
        }
        ByteArrayOutputStream log = new ByteArrayOutputStream();

        BlendEvaluation.Report report = BlendEvaluation.evaluate(new Interactions(8, sequences, titles),
                new PrintStream(log, true, StandardCharsets.UTF_8));

        // NDCG@5 = 1 only if the successor ranks first for every shopper
        assertThat(report.blend().ndcg(5)).isEqualTo(1.0);
        assertThat(report.blend().cases()).isEqualTo(60);
        assertThat(report.popularity().ndcg(5)).isLessThan(0.9);
        assertThat(report.contentOnly().ndcg(5)).isLessThan(report.blend().ndcg(5));
        assertThat(report.table()).contains("Tastemaker blend", "S3-Rec (published)");
    }
}

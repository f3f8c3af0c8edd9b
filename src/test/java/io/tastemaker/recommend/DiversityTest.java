package io.tastemaker.recommend;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DiversityTest {

    private static Diversity.Item item(double score, float[] vector, String brand, String category) {
        return new Diversity.Item(score, vector, brand, category, false);
    }

    @Test
    void mmr_moves_a_near_duplicate_below_a_different_product() {
        List<Diversity.Item> items = List.of(
                item(1.00, new float[]{1, 0}, null, null),
                item(0.99, new float[]{1, 0.01f}, null, null), // a near copy of the first
                item(0.90, new float[]{0, 1}, null, null));

        int[] order = Diversity.arrange(items, new Diversity.Settings(0.7, 0, 0, 0));

        assertThat(order).containsExactly(0, 2, 1);
    }

    @Test
    void arranging_the_shown_places_only_gives_the_same_first_places_and_keeps_the_rest_in_order() {
        java.util.Random random = new java.util.Random(11);
        List<Diversity.Item> items = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            float[] v = {random.nextFloat(), random.nextFloat(), random.nextFloat()};
            items.add(new Diversity.Item(1 - i * 0.01, v, "b" + random.nextInt(4), "c" + random.nextInt(3), i == 25));
        }
        Diversity.Settings settings = new Diversity.Settings(0.7, 5, 2, 3);

        int[] whole = Diversity.arrange(items, settings);
        int[] firstTen = Diversity.arrange(items, settings, 10);

        assertThat(java.util.Arrays.copyOf(firstTen, 10)).containsExactly(java.util.Arrays.copyOf(whole, 10));
        assertThat(firstTen).hasSize(40).doesNotHaveDuplicates();
        assertThat(firstTen[25]).isEqualTo(25); // a pinned product keeps its place below the arranged ones
        List<Integer> rest = new ArrayList<>();
        for (int p = 10; p < 40; p++) {
            if (p != 25) {
                rest.add(firstTen[p]);
            }
        }
        assertThat(rest).isSorted();
    }

    /**
     * The lazy choice must equal the textbook one: every remaining product compared with every
     * placed one at each place (written out here as the oracle), on random lists with ties, caps,
     * pinned products and products without vectors.
     */
    @Test
    void the_lazy_choice_equals_comparing_everything_at_every_place() {
        java.util.Random random = new java.util.Random(5);
        for (int round = 0; round < 300; round++) {
            int n = 1 + random.nextInt(60);
            List<Diversity.Item> items = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                float[] v = random.nextInt(10) == 0 ? null
                        : new float[]{random.nextInt(3) - 1, random.nextInt(3), random.nextFloat(), random.nextFloat()};
                double score = random.nextInt(4) == 0 ? 0.5 : 1 - i * 0.01; // ties on purpose
                items.add(new Diversity.Item(score, v, "b" + random.nextInt(3), "c" + random.nextInt(3),
                        random.nextInt(12) == 0));
            }
            Diversity.Settings settings = new Diversity.Settings(random.nextInt(5) * 0.25,
                    random.nextInt(6), random.nextInt(3), random.nextInt(4));

            assertThat(Diversity.arrange(items, settings)).as("round %d", round)
                    .containsExactly(eagerOracle(items, settings));
        }
    }

    private static int[] eagerOracle(List<Diversity.Item> items, Diversity.Settings s) {
        int n = items.size();
        int[] order = new int[n];
        java.util.Arrays.fill(order, -1);
        boolean[] placed = new boolean[n];
        for (int i = 0; i < n; i++) {
            if (items.get(i).fixed()) {
                order[i] = i;
                placed[i] = true;
            }
        }
        double top = items.stream().filter(it -> !it.fixed()).mapToDouble(Diversity.Item::score).max().orElse(1);
        double scale = top > 0 ? top : 1;
        double[] maxSim = new double[n];
        for (int position = 0; position < n; position++) {
            if (order[position] < 0) {
                int best = -1;
                int anyBest = -1;
                double bestValue = Double.NEGATIVE_INFINITY;
                double anyValue = Double.NEGATIVE_INFINITY;
                for (int i = 0; i < n; i++) {
                    if (placed[i]) {
                        continue;
                    }
                    double value = s.lambda() < 1 ? s.lambda() * items.get(i).score() / scale - (1 - s.lambda()) * maxSim[i] : -i;
                    if (value > anyValue) {
                        anyValue = value;
                        anyBest = i;
                    }
                    if (value > bestValue && oracleWithinCaps(items, order, position, i, s)) {
                        bestValue = value;
                        best = i;
                    }
                }
                order[position] = best >= 0 ? best : anyBest;
                placed[order[position]] = true;
            }
            float[] added = unit(items.get(order[position]).vector());
            for (int i = 0; i < n; i++) {
                float[] other = unit(items.get(i).vector());
                if (!placed[i] && added != null && other != null) {
                    double dot = 0;
                    for (int d = 0; d < added.length; d++) {
                        dot += other[d] * added[d];
                    }
                    maxSim[i] = Math.max(maxSim[i], dot);
                }
            }
        }
        return order;
    }

    private static boolean oracleWithinCaps(List<Diversity.Item> items, int[] order, int position, int candidate,
                                            Diversity.Settings s) {
        if (s.window() <= 0) {
            return true;
        }
        int sameBrand = 0;
        int sameCategory = 0;
        for (int p = Math.max(0, position - s.window() + 1); p < position; p++) {
            sameBrand += items.get(order[p]).brand().equals(items.get(candidate).brand()) ? 1 : 0;
            sameCategory += items.get(order[p]).category().equals(items.get(candidate).category()) ? 1 : 0;
        }
        return (s.maxPerBrand() <= 0 || sameBrand < s.maxPerBrand())
                && (s.maxPerCategory() <= 0 || sameCategory < s.maxPerCategory());
    }

    private static float[] unit(float[] v) {
        if (v == null) {
            return null;
        }
        double norm = 0;
        for (float f : v) {
            norm += f * f;
        }
        if (norm == 0) {
            return null;
        }
        float[] u = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            u[i] = (float) (v[i] / Math.sqrt(norm));
        }
        return u;
    }

    @Test
    void without_diversity_the_order_is_kept() {
        List<Diversity.Item> items = List.of(item(1, new float[]{1, 0}, "a", "x"), item(0.9, new float[]{1, 0}, "a", "x"));

        assertThat(Diversity.arrange(items, Diversity.Settings.OFF)).containsExactly(0, 1);
    }

    @Test
    void caps_hold_within_every_window_of_consecutive_positions() {
        List<Diversity.Item> items = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            items.add(item(1 - i * 0.01, null, "Acme", "Lamps"));
        }
        for (int i = 0; i < 6; i++) {
            items.add(item(0.5 - i * 0.01, null, "Other" + i, i % 2 == 0 ? "Rugs" : "Lamps"));
        }

        int[] order = Diversity.arrange(items, new Diversity.Settings(1, 5, 2, 3));

        List<String> brands = new ArrayList<>();
        List<String> categories = new ArrayList<>();
        for (int i : order) {
            brands.add(items.get(i).brand());
            categories.add(items.get(i).category());
        }
        // the first 8 positions can honour the caps; after that only Acme lamps are left
        assertThat(worstWindow(brands.subList(0, 8), 5)).isLessThanOrEqualTo(2);
        assertThat(worstWindow(categories.subList(0, 8), 5)).isLessThanOrEqualTo(3);
        assertThat(order).hasSize(12).doesNotHaveDuplicates(); // a cap never drops a product
        assertThat(order[0]).isZero();
    }

    @Test
    void fixed_products_keep_their_positions() {
        List<Diversity.Item> items = List.of(
                item(1, new float[]{1, 0}, "a", null),
                new Diversity.Item(0.1, new float[]{1, 0}, "a", null, true), // pinned at position 2
                item(0.9, new float[]{1, 0}, "a", null),
                item(0.8, new float[]{0, 1}, "b", null));

        int[] order = Diversity.arrange(items, new Diversity.Settings(0.5, 3, 1, 0));

        assertThat(order[1]).isEqualTo(1);
        assertThat(order).containsExactlyInAnyOrder(0, 1, 2, 3);
    }

    /** The most times one key appears within any {@code window} consecutive positions. */
    private static int worstWindow(List<String> keys, int window) {
        int worst = 0;
        for (int start = 0; start < keys.size(); start++) {
            List<String> slice = keys.subList(start, Math.min(keys.size(), start + window));
            for (String k : slice) {
                worst = Math.max(worst, (int) slice.stream().filter(k::equals).count());
            }
        }
        return worst;
    }
}

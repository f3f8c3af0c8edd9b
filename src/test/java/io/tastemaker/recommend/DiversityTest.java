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

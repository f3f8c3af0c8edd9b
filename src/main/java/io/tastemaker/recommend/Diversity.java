package io.tastemaker.recommend;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Keeps a ranking from showing ten near-identical products: maximal marginal relevance over
 * the product vectors (each next product is the one with the best {@code λ·relevance −
 * (1−λ)·similarity to what is already shown}), plus caps: within any {@code window} consecutive
 * positions at most {@code maxPerBrand} products of one brand and {@code maxPerCategory} of one
 * category. When nothing left satisfies the caps the best remaining product is taken anyway: a
 * cap never shortens a list. Products fixed in place (merchandiser pins) keep their positions.
 * Plain Java; deterministic for the same input.
 */
public final class Diversity {

    /** λ = 1 and no caps turns diversity off. */
    public record Settings(double lambda, int window, int maxPerBrand, int maxPerCategory) {

        public static final Settings OFF = new Settings(1, 0, 0, 0);
    }

    /** One ranked product: relevance, vector (null if unknown), brand and category (may be null). */
    public record Item(double score, float[] vector, String brand, String category, boolean fixed) {
    }

    private Diversity() {
    }

    /** The new order, as indexes into {@code items} (which is best first). */
    public static int[] arrange(List<Item> items, Settings settings) {
        return arrange(items, settings, items.size());
    }

    /**
     * The new order of the first {@code positions} places; the products left after them follow in
     * the given order. Choosing greedily, place by place, makes the first places the same however
     * many are arranged, so a request arranges only as far as it shows.
     */
    public static int[] arrange(List<Item> items, Settings settings, int positions) {
        int n = items.size();
        int[] order = new int[n];
        boolean[] placed = new boolean[n];
        Arrays.fill(order, -1);
        for (int i = 0; i < n; i++) { // fixed items stay where they are
            if (items.get(i).fixed()) {
                order[i] = i;
                placed[i] = true;
            }
        }
        // relevance on the fusion's own scale (best = 1), so λ means the same for every list
        double top = items.stream().filter(it -> !it.fixed()).mapToDouble(Item::score).max().orElse(1);
        double scale = top > 0 ? top : 1;
        float[][] unit = new float[n][];
        String[] brands = new String[n];
        String[] categories = new String[n];
        for (int i = 0; i < n; i++) {
            unit[i] = normalized(items.get(i).vector());
            brands[i] = key(items.get(i).brand());
            categories[i] = key(items.get(i).category());
        }
        boolean useMmr = settings.lambda() < 1;
        Similarities similarities = new Similarities(unit);
        double[] relevance = new double[n];
        for (int i = 0; i < n; i++) {
            relevance[i] = items.get(i).score() / scale;
        }
        int arranged = Math.min(n, Math.max(0, positions));
        Integer[] byBound = new Integer[n];
        double[] bound = new double[n];
        for (int position = 0; position < arranged; position++) {
            if (order[position] >= 0) {
                similarities.placed(order[position]);
                continue;
            }
            // Lazy greedy choice: a product's similarity to what is placed only grows, so its value
            // from a stale similarity is an upper bound. Products are brought up to date best bound
            // first, and the scan stops once no bound can beat the best value found: the same
            // choice as comparing every product with every placed one, for a few dot products.
            int count = 0;
            for (int i = 0; i < n; i++) {
                if (!placed[i]) {
                    byBound[count++] = i;
                }
            }
            for (int k = 0; k < count; k++) {
                int i = byBound[k];
                bound[i] = useMmr ? value(settings, relevance[i], similarities.stale(i)) : -i; // without MMR keep the given order
            }
            java.util.Arrays.sort(byBound, 0, count, (a, b) -> bound[a] != bound[b] ? Double.compare(bound[b], bound[a])
                    : Integer.compare(a, b));
            int best = -1;
            int bestIgnoringCaps = -1;
            double bestValue = Double.NEGATIVE_INFINITY;
            double bestValueIgnoringCaps = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < count; k++) {
                int i = byBound[k];
                if (best >= 0 && bound[i] < bestValue) {
                    break;
                }
                double value = useMmr ? value(settings, relevance[i], similarities.current(i)) : -i;
                if (value > bestValueIgnoringCaps || value == bestValueIgnoringCaps && i < bestIgnoringCaps) {
                    bestValueIgnoringCaps = value;
                    bestIgnoringCaps = i;
                }
                if ((value > bestValue || value == bestValue && i < best)
                        && withinCaps(brands, categories, order, position, i, settings)) {
                    bestValue = value;
                    best = i;
                }
            }
            int chosen = best >= 0 ? best : bestIgnoringCaps;
            order[position] = chosen;
            placed[chosen] = true;
            similarities.placed(chosen);
        }
        int next = 0;
        for (int position = arranged; position < n; position++) {
            if (order[position] < 0) {
                while (placed[next]) {
                    next++;
                }
                order[position] = next;
                placed[next] = true;
            }
        }
        return order;
    }

    private static boolean withinCaps(String[] brands, String[] categories, int[] order, int position, int candidate,
                                      Settings s) {
        if (s.window() <= 0) {
            return true;
        }
        String brand = brands[candidate];
        String category = categories[candidate];
        int sameBrand = 0;
        int sameCategory = 0;
        for (int p = Math.max(0, position - s.window() + 1); p < position; p++) {
            if (brand != null && brand.equals(brands[order[p]])) {
                sameBrand++;
            }
            if (category != null && category.equals(categories[order[p]])) {
                sameCategory++;
            }
        }
        return (s.maxPerBrand() <= 0 || sameBrand < s.maxPerBrand())
                && (s.maxPerCategory() <= 0 || sameCategory < s.maxPerCategory());
    }

    private static String key(String value) {
        return value == null || value.isBlank() ? null : value.trim().toLowerCase(Locale.ROOT);
    }

    private static double value(Settings settings, double relevance, double similarity) {
        return settings.lambda() * relevance - (1 - settings.lambda()) * similarity;
    }

    /** Each product's greatest similarity to the placed ones, brought up to date only when asked. */
    private static final class Similarities {

        private final float[][] unit;
        private final int[] placedInOrder;
        private int placedCount;
        private final double[] max;
        /** How many of the placed products {@code max[i]} accounts for. */
        private final int[] seen;

        Similarities(float[][] unit) {
            this.unit = unit;
            this.placedInOrder = new int[unit.length];
            this.max = new double[unit.length];
            this.seen = new int[unit.length];
        }

        void placed(int i) {
            placedInOrder[placedCount++] = i;
        }

        /** A lower bound of the greatest similarity: what was computed so far. */
        double stale(int i) {
            return max[i];
        }

        double current(int i) {
            for (; seen[i] < placedCount; seen[i]++) {
                float[] other = unit[placedInOrder[seen[i]]];
                if (unit[i] != null && other != null) {
                    double dot = 0;
                    for (int d = 0; d < other.length; d++) {
                        dot += unit[i][d] * other[d];
                    }
                    max[i] = Math.max(max[i], dot);
                }
            }
            return max[i];
        }
    }

    private static float[] normalized(float[] v) {
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
        float[] unit = new float[v.length];
        double inv = 1 / Math.sqrt(norm);
        for (int i = 0; i < v.length; i++) {
            unit[i] = (float) (v[i] * inv);
        }
        return unit;
    }
}

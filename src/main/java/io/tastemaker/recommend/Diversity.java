package io.tastemaker.recommend;

import io.tastemaker.vectors.VectorMath;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
        float[][] vectors = new float[n][];
        double[] norms = new double[n];
        for (int i = 0; i < n; i++) {
            vectors[i] = items.get(i).vector();
            norms[i] = vectors[i] == null ? 0 : VectorMath.norm(vectors[i]);
        }
        Caps caps = new Caps(items, order, settings);
        boolean useMmr = settings.lambda() < 1;
        Similarities similarities = new Similarities(vectors, norms);
        double[] relevance = new double[n];
        for (int i = 0; i < n; i++) {
            relevance[i] = items.get(i).score() / scale;
        }
        int arranged = Math.min(n, Math.max(0, positions));
        int[] remaining = new int[n];
        double[] bound = new double[n];
        for (int position = 0; position < arranged; position++) {
            caps.slideTo(position);
            if (order[position] >= 0) {
                similarities.placed(order[position]);
                continue;
            }
            // Only products within the caps compete; when none is, the best of all is taken anyway.
            // Lazy greedy choice among them: a product's similarity to what is placed only grows, so its
            // value from a stale similarity is an upper bound. Products are brought up to date best bound
            // first, and the scan stops once no bound can beat the best value found: the same choice
            // as comparing every product with every placed one, for a few dot products.
            int count = 0;
            for (int pass = 0; pass < 2 && count == 0; pass++) {
                boolean ignoreCaps = pass == 1;
                for (int i = 0; i < n; i++) {
                    if (!placed[i] && (ignoreCaps || caps.allow(i))) {
                        remaining[count++] = i;
                        bound[i] = useMmr ? value(settings, relevance[i], similarities.stale(i)) : -i; // without MMR keep the given order
                    }
                }
            }
            int best = -1;
            double bestValue = Double.NEGATIVE_INFINITY;
            // best bound first from a heap: built in linear time, and the scan often stops early
            BoundHeap heap = new BoundHeap(remaining, count, bound);
            while (!heap.isEmpty()) {
                int i = heap.pop();
                if (best >= 0 && bound[i] < bestValue) {
                    break;
                }
                double value = useMmr ? value(settings, relevance[i], similarities.current(i)) : -i;
                if (value > bestValue || value == bestValue && i < best) {
                    bestValue = value;
                    best = i;
                }
            }
            order[position] = best;
            placed[best] = true;
            similarities.placed(best);
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

    /**
     * Products by bound, highest first (on a tie the one ranked better before), as an array heap
     * over their indexes: no boxing, no comparator objects.
     */
    private static final class BoundHeap {

        private final int[] heap;
        private int size;
        private final double[] bound;

        BoundHeap(int[] products, int count, double[] bound) {
            this.heap = products;
            this.size = count;
            this.bound = bound;
            for (int k = size / 2 - 1; k >= 0; k--) {
                siftDown(k);
            }
        }

        boolean isEmpty() {
            return size == 0;
        }

        int pop() {
            int top = heap[0];
            heap[0] = heap[--size];
            siftDown(0);
            return top;
        }

        private void siftDown(int k) {
            while (true) {
                int left = 2 * k + 1;
                if (left >= size) {
                    return;
                }
                int child = left + 1 < size && beats(heap[left + 1], heap[left]) ? left + 1 : left;
                if (!beats(heap[child], heap[k])) {
                    return;
                }
                int swap = heap[k];
                heap[k] = heap[child];
                heap[child] = swap;
                k = child;
            }
        }

        private boolean beats(int a, int b) {
            return bound[a] > bound[b] || bound[a] == bound[b] && a < b;
        }
    }

    /**
     * The brand and category caps over the last {@code window - 1} placed positions, kept as counts
     * per brand and category (numbered once per list) and slid one position at a time: checking a
     * product costs two array reads, however many compete.
     */
    private static final class Caps {

        private final int[] order;
        private final Settings settings;
        private final int[] brandOf;
        private final int[] categoryOf;
        private final int[] perBrand;
        private final int[] perCategory;

        Caps(List<Item> items, int[] order, Settings settings) {
            this.order = order;
            this.settings = settings;
            int n = items.size();
            brandOf = new int[n];
            categoryOf = new int[n];
            Map<String, Integer> brands = new HashMap<>();
            Map<String, Integer> categories = new HashMap<>();
            for (int i = 0; i < n; i++) {
                brandOf[i] = number(brands, items.get(i).brand());
                categoryOf[i] = number(categories, items.get(i).category());
            }
            perBrand = new int[brands.size()];
            perCategory = new int[categories.size()];
        }

        /** Brings the counts to the window ending just before {@code position} (called for each in turn). */
        void slideTo(int position) {
            if (settings.window() <= 0) {
                return;
            }
            if (position >= 1) {
                count(order[position - 1], 1);
            }
            if (position - settings.window() >= 0) {
                count(order[position - settings.window()], -1);
            }
        }

        boolean allow(int candidate) {
            if (settings.window() <= 0) {
                return true;
            }
            int brand = brandOf[candidate];
            int category = categoryOf[candidate];
            return (settings.maxPerBrand() <= 0 || brand < 0 || perBrand[brand] < settings.maxPerBrand())
                    && (settings.maxPerCategory() <= 0 || category < 0 || perCategory[category] < settings.maxPerCategory());
        }

        private void count(int product, int delta) {
            if (brandOf[product] >= 0) {
                perBrand[brandOf[product]] += delta;
            }
            if (categoryOf[product] >= 0) {
                perCategory[categoryOf[product]] += delta;
            }
        }

        /** Equal names (trimmed, case-insensitive) get one number; a missing name gets -1 and counts for nothing. */
        private static int number(Map<String, Integer> numbers, String name) {
            if (name == null || name.isBlank()) {
                return -1;
            }
            return numbers.computeIfAbsent(name.trim().toLowerCase(Locale.ROOT), key -> numbers.size());
        }
    }

    private static double value(Settings settings, double relevance, double similarity) {
        return settings.lambda() * relevance - (1 - settings.lambda()) * similarity;
    }

    /** Each product's greatest cosine to the placed ones, brought up to date only when asked. */
    private static final class Similarities {

        private final float[][] vectors;
        private final double[] norms;
        private final int[] placedInOrder;
        private int placedCount;
        private final double[] max;
        /** How many of the placed products {@code max[i]} accounts for. */
        private final int[] seen;

        Similarities(float[][] vectors, double[] norms) {
            this.vectors = vectors;
            this.norms = norms;
            this.placedInOrder = new int[vectors.length];
            this.max = new double[vectors.length];
            this.seen = new int[vectors.length];
        }

        void placed(int i) {
            placedInOrder[placedCount++] = i;
        }

        /** A lower bound of the greatest similarity: what was computed so far. */
        double stale(int i) {
            return max[i];
        }

        double current(int i) {
            if (norms[i] == 0) { // no vector: like nothing
                seen[i] = placedCount;
                return max[i];
            }
            for (; seen[i] < placedCount; seen[i]++) {
                int other = placedInOrder[seen[i]];
                if (norms[other] != 0) {
                    max[i] = Math.max(max[i], VectorMath.dot(vectors[i], vectors[other]) / (norms[i] * norms[other]));
                }
            }
            return max[i];
        }
    }
}

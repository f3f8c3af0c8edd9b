package io.tastemaker.evaluation;

import io.tastemaker.profiles.TasteProfile;
import io.tastemaker.recommend.FeedRecipe;
import io.tastemaker.recommend.Fusion;
import io.tastemaker.recommend.Weights;
import io.tastemaker.recommend.sources.Retrieved;
import io.tastemaker.recommend.sources.Source;
import io.tastemaker.recommend.sources.Sources;
import io.tastemaker.vectors.VectorFilter;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A shopper's feed as the service builds it, replayed: every source of the feed recipe asked
 * once (all on, each {@link #DEPTH} deep, the similar scores completed), so that any weights can
 * then be fused over the same candidates ({@link Fusion}) and the held-out product's rank read. The
 * offline evaluation ({@link BlendEvaluation}) and the evaluation gate ({@link GateEvaluation}) both
 * retrieve through here.
 */
final class FeedReplay {

    /** Each source proposes as many candidates as the service ranks for a first page. */
    static final int DEPTH = 100;
    /** Every feed source on: which ones count is the fusion's weights' business. */
    static final Weights ALL = new Weights(Map.of(Source.PROFILE, 1.0, Source.SIMILAR, 1.0, Source.CO_ENGAGEMENT, 1.0,
            Source.LIKE_MINDED, 1.0, Source.TRENDING, 1.0));

    private final FeedRecipe feed;

    /** @param anchors how many recent items the feed starts from; {@code anchorDecay} how much each older one counts */
    FeedReplay(int anchors, double anchorDecay) {
        this.feed = new FeedRecipe(new Weights(Map.of()), anchors, anchorDecay);
    }

    /** Every feed source's candidates for this shopper ({@code profile} null if unknown). */
    List<Retrieved> candidates(Sources sources, TasteProfile profile) {
        return feed.retrieve(sources, profile, VectorFilter.NONE, ALL, DEPTH).lists();
    }

    /**
     * The rank (0 = first) of {@code target} in the fused list of {@code candidates} under these
     * weights, products in {@code masked} (the shopper's history) skipped; -1 when it is not among
     * the first {@code k}. A product no source proposed is a miss: the page shows what the sources found.
     */
    static int rank(List<Retrieved> candidates, Weights weights, Fusion.Method method, Set<String> masked,
                    String target, int k) {
        int rank = 0;
        for (Fusion.Fused f : Fusion.fuse(candidates, weights, method)) {
            if (f.productId().equals(target)) {
                return rank;
            }
            if (!masked.contains(f.productId()) && ++rank >= k) {
                return -1;
            }
        }
        return -1;
    }

    /**
     * One shopper's candidates as a table for the weight search: for each product, what each source
     * adds to its fused score at weight 1 (and, under score fusion, each source's best score, which a
     * floor in the weights may replace as the normaliser), so that fusing under any weights is a weighted sum
     * (what {@link Fusion#fuse} computes, in the same arithmetic up to rounding, with the same
     * order: higher score first, ties by product id). A search fuses each shopper's candidates about
     * sixty times: the table makes that microseconds instead of a fresh fusion each time.
     */
    static final class Table {

        private final Source[] sources;
        /** Under score fusion, each source's best score: the normaliser a floor above it replaces; 0 otherwise. */
        private final double[] best;
        private final String[] ids;
        private final double[][] unit;
        private final boolean[] masked;
        private final int target;

        Table(List<Retrieved> candidates, Fusion.Method method, Set<String> history, String targetId) {
            Map<String, Integer> at = new java.util.LinkedHashMap<>();
            candidates.forEach(r -> r.candidates().forEach(c -> at.putIfAbsent(c.productId(), at.size())));
            ids = at.keySet().toArray(String[]::new);
            sources = new Source[candidates.size()];
            best = new double[candidates.size()];
            unit = new double[candidates.size()][ids.length];
            for (int s = 0; s < candidates.size(); s++) {
                Retrieved r = candidates.get(s);
                sources[s] = r.source();
                double max = r.candidates().stream().mapToDouble(io.tastemaker.recommend.sources.Candidate::score).max()
                        .orElse(0);
                best[s] = method == Fusion.Method.SCORE ? max : 0;
                int rank = 0;
                for (io.tastemaker.recommend.sources.Candidate c : r.candidates()) {
                    rank++;
                    unit[s][at.get(c.productId())] += switch (method) {
                        case SCORE -> max > 0 ? Math.max(0, c.score()) / max : 0;
                        case RRF -> 1.0 / (60 + rank);
                    };
                }
            }
            masked = new boolean[ids.length];
            for (int i = 0; i < ids.length; i++) {
                masked[i] = history.contains(ids[i]) && !ids[i].equals(targetId);
            }
            Integer t = at.get(targetId);
            target = t == null ? -1 : t;
        }

        /** As {@link FeedReplay#rank}: the target's rank among the unmasked products under these weights, -1 beyond {@code k}. */
        int rank(Weights weights, int k) {
            if (target < 0) {
                return -1;
            }
            double[] w = new double[sources.length];
            for (int s = 0; s < sources.length; s++) {
                double floor = weights.floor(sources[s]);
                w[s] = floor > best[s] && best[s] > 0 ? weights.of(sources[s]) * best[s] / floor : weights.of(sources[s]);
            }
            double own = fused(w, target);
            if (own <= 0) {
                return -1; // no source put it in the fused list
            }
            int rank = 0;
            for (int i = 0; i < ids.length; i++) {
                if (i == target || masked[i]) {
                    continue;
                }
                double score = fused(w, i);
                if (score > own || (score == own && score > 0 && ids[i].compareTo(ids[target]) < 0)) {
                    if (++rank >= k) {
                        return -1;
                    }
                }
            }
            return rank;
        }

        private double fused(double[] w, int i) {
            double sum = 0;
            for (int s = 0; s < w.length; s++) {
                if (w[s] > 0) {
                    sum += w[s] * unit[s][i];
                }
            }
            return sum;
        }
    }

    /** 1 / log2(rank + 2): the gain of a hit at this rank (0 for a miss). */
    static double gain(int rank) {
        return rank < 0 ? 0 : 1 / (Math.log(rank + 2) / Math.log(2));
    }
}

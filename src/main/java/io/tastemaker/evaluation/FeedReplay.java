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
            Source.TRENDING, 1.0));

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

    /** 1 / log2(rank + 2): the gain of a hit at this rank (0 for a miss). */
    static double gain(int rank) {
        return rank < 0 ? 0 : 1 / (Math.log(rank + 2) / Math.log(2));
    }
}

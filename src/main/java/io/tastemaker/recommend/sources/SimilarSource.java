package io.tastemaker.recommend.sources;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.tastemaker.vectors.VectorFilter;
import io.tastemaker.vectors.VectorHit;
import io.tastemaker.vectors.VectorIndex;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Products nearest to the anchors, each anchor's cosine weighted by the anchor's weight and
 * summed: close to several recent items beats close to one.
 */
final class SimilarSource implements CandidateSource {

    /** Beyond this many exclusions an anchor's neighbours are searched afresh (a long purchase history). */
    static final int SPARE = 50;

    private final VectorIndex index;
    private final Cache<NeighbourKey, List<VectorHit>> neighbourLists = Caffeine.newBuilder()
            .maximumSize(20_000)
            .expireAfterWrite(Duration.ofMinutes(1))
            .build();

    SimilarSource(VectorIndex index) {
        this.index = index;
    }

    @Override
    public Source source() {
        return Source.SIMILAR;
    }

    @Override
    public Retrieved retrieve(Subject subject, VectorFilter allowed, int limit) {
        AnchoredScores scores = new AnchoredScores();
        for (Anchor anchor : subject.anchors()) {
            if (anchor.vector() != null) {
                for (VectorHit hit : neighbours(anchor, allowed, limit)) {
                    scores.add(hit.id(), anchor, Math.max(0, hit.score()));
                }
            }
        }
        return scores.top(Source.SIMILAR, limit, Reasons::like);
    }

    /**
     * An anchor's nearest neighbours. Without a field filter they do not depend on the shopper,
     * the same popular products anchor many feeds, and a 100-deep approximate search is the
     * costliest step of a feed: the unfiltered list of {@code limit + exclusions} is kept a
     * minute and the exclusions dropped from it, which is what the index does for a few
     * exclusions anyway (same results). Products changed since are corrected by the ranking's
     * look-up of every candidate.
     */
    private List<VectorHit> neighbours(Anchor anchor, VectorFilter filter, int limit) {
        if (filter.restrictsPayload() || filter.excludeIds().size() > SPARE) {
            return index.search(anchor.vector(), filter, limit);
        }
        int k = limit + SPARE; // one list per anchor and depth, whoever asks: the exclusions vary per shopper
        List<VectorHit> all = neighbourLists.get(new NeighbourKey(anchor.productId(), k),
                key -> index.search(anchor.vector(), VectorFilter.NONE, k));
        List<VectorHit> kept = new ArrayList<>(limit);
        for (VectorHit hit : all) {
            if (kept.size() == limit) {
                break;
            }
            if (!filter.excludeIds().contains(hit.id())) {
                kept.add(hit);
            }
        }
        return kept;
    }

    private record NeighbourKey(String productId, int k) {
    }
}

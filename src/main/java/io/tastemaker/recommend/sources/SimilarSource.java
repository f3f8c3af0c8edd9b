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
    /** Lists computed ahead of requests; a product without one is searched and cached below. */
    private final NeighbourLists precomputed;
    /**
     * Neighbour lists of the anchors asked for lately that {@link #precomputed} does not keep (a
     * product added since, a catalog over the table's size, a deep page). Their neighbours change
     * only when the catalogue does: ten minutes bounds how long a new product can be missing from
     * them (the ranking's look-up corrects changed ones at once).
     */
    private final Cache<NeighbourKey, Neighbours> neighbourLists = Caffeine.newBuilder()
            .maximumSize(50_000)
            .expireAfterWrite(Duration.ofMinutes(10))
            .build();

    SimilarSource(VectorIndex index, NeighbourLists precomputed) {
        this.index = index;
        this.precomputed = precomputed;
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
     * costliest step of a feed: the unfiltered list of {@code limit + SPARE} is kept and the
     * shopper's exclusions dropped from it, which is what the index does for a few exclusions
     * anyway. Products changed since are corrected by the ranking's look-up of every candidate.
     */
    private List<VectorHit> neighbours(Anchor anchor, VectorFilter filter, int limit) {
        if (filter.restrictsPayload() || filter.excludeIds().size() > SPARE) {
            return index.search(anchor.vector(), filter, limit);
        }
        int k = limit + SPARE; // one list per anchor and depth, whoever asks: the exclusions vary per shopper
        Neighbours all = precomputed.of(anchor.productId(), k);
        if (all == null) {
            all = neighbourLists.get(new NeighbourKey(anchor.productId(), k),
                    key -> Neighbours.of(index.search(anchor.vector(), VectorFilter.NONE, k)));
        }
        List<VectorHit> kept = new ArrayList<>(limit);
        for (int i = 0; i < all.ids().length && kept.size() < limit; i++) {
            String id = all.ids()[i];
            if (!id.equals(anchor.productId()) && !filter.excludeIds().contains(id)) { // a product is not "like" itself
                kept.add(new VectorHit(id, all.scores()[i], null));
            }
        }
        return kept;
    }

    private record NeighbourKey(String productId, int k) {
    }
}

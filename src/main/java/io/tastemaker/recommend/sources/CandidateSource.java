package io.tastemaker.recommend.sources;

import io.tastemaker.vectors.VectorFilter;

/**
 * One signal asked for products: every source has this shape, so a surface's recipe names the
 * sources it blends and asks each the same way.
 */
public interface CandidateSource {

    Source source();

    /**
     * At most {@code limit} candidates for {@code subject}, best first, scored in the source's own
     * terms. {@code allowed} already excludes what the shopper must not see; sources that cannot
     * filter on product fields (co-engagement) leave that to the ranking.
     */
    Retrieved retrieve(Subject subject, VectorFilter allowed, int limit);
}

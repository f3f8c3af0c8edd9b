package io.tastemaker.recommend;

import io.tastemaker.recommend.sources.Source;
import io.tastemaker.vectors.VectorFilter;

import java.util.Map;

/**
 * What every storefront list request carries besides its subject: filters (with the products to
 * leave out, e.g. what is already in the cart), the page, optional per-request source weights for
 * experiments, and whether the LLM may rerank it (off for crawlers, or to compare).
 */
public record Listing(VectorFilter filter, Page page, Map<Source, Double> weightOverride, boolean rerank) {

    public Listing {
        weightOverride = Map.copyOf(weightOverride);
    }

    public Listing(VectorFilter filter, Page page, Map<Source, Double> weightOverride) {
        this(filter, page, weightOverride, true);
    }
}

package io.tastemaker.recommend;

import io.tastemaker.recommend.sources.Source;
import io.tastemaker.vectors.VectorFilter;

import java.util.Map;

/**
 * What every storefront list request carries besides its subject: filters (with the products to
 * leave out, e.g. what is already in the cart), the page, optional per-request source weights for
 * experiments, whether the LLM may rerank it (off for crawlers, or to compare), and the
 * {@code placement} the storefront shows it in (null: the surface's default), which its outcomes
 * are reported under.
 */
public record Listing(VectorFilter filter, Page page, Map<Source, Double> weightOverride, boolean rerank,
                      String placement) {

    public Listing {
        weightOverride = Map.copyOf(weightOverride);
    }

    public Listing(VectorFilter filter, Page page, Map<Source, Double> weightOverride) {
        this(filter, page, weightOverride, true, null);
    }

    /** The placement this list is reported under. */
    public String placementOf(Surface surface) {
        return placement != null ? placement : surface.defaultPlacement();
    }
}

package io.tastemaker.recommend;

import io.tastemaker.vectors.VectorFilter;

import java.util.Map;

/**
 * What every storefront list request carries besides its subject: filters (with the products to
 * leave out, e.g. what is already in the cart), the page, and optional per-request source
 * weights for experiments.
 */
public record Listing(VectorFilter filter, Page page, Map<Source, Double> weightOverride) {

    public Listing {
        weightOverride = Map.copyOf(weightOverride);
    }
}

package io.tastemaker.recommend;

import io.tastemaker.profiles.TasteProfile;
import io.tastemaker.recommend.sources.Sources;

import java.util.Optional;

/**
 * How one surface retrieves: which sources it asks about whom, with which weights. Everything
 * after retrieval (fusion, rules, diversity, reranking, paging) is the same for every surface.
 */
interface SurfaceRecipe {

    /**
     * The candidate lists for {@code request}; empty only when its subject is unknown (a product
     * the index does not have).
     *
     * @param profile the shopper's taste profile in the serving version's space, null if unknown
     */
    Optional<Retrieval> retrieve(Sources sources, ListRequest request, TasteProfile profile, Listing listing);
}

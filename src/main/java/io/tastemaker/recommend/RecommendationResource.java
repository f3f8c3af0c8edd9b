package io.tastemaker.recommend;

import io.tastemaker.api.ApiException;
import io.tastemaker.api.InvalidInputException;
import io.tastemaker.catalog.CatalogStore;
import io.tastemaker.catalog.ProductValidator;
import io.tastemaker.engagement.EventCodec;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Storefront endpoints. They run on worker threads: embedding a query and walking the HNSW
 * graph are CPU work that must not hold the event loop.
 */
@Path("/v1")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Storefront")
public class RecommendationResource {

    static final int MAX_QUERY_LENGTH = 500;

    private final RecommendationService recommendations;
    private final CatalogStore catalog;

    RecommendationResource(RecommendationService recommendations, CatalogStore catalog) {
        this.recommendations = recommendations;
        this.catalog = catalog;
    }

    @GET
    @Path("/search")
    @Operation(summary = "Semantic product search", description = "Filters: category (a level name or path prefix), "
            + "brand, minPrice, maxPrice, inStock. Pages with limit (max 100) and the cursor of the previous answer.")
    public RecommendationResponse search(@QueryParam("q") String q, @BeanParam ListingParams listing) {
        if (q == null || q.isBlank()) {
            throw new InvalidInputException("q", "is required: what the shopper is looking for");
        }
        if (q.length() > MAX_QUERY_LENGTH) {
            throw new InvalidInputException("q", "is longer than " + MAX_QUERY_LENGTH + " characters");
        }
        return recommendations.search(q, listing.filter(), listing.page());
    }

    @GET
    @Path("/users/{userId}/feed")
    @Operation(summary = "A shopper's home feed", description = "Products close to the shopper's taste profile, "
            + "without hidden or bought ones; trending products for new shoppers. Same filters and paging as search.")
    public RecommendationResponse feed(@PathParam("userId") String userId, @BeanParam ListingParams listing) {
        EventCodec.validateUserId("userId", userId);
        return recommendations.feed(userId, listing.filter(), listing.page());
    }

    @GET
    @Path("/products/{productId}/similar")
    @Operation(summary = "More like this", description = "Products nearest to this one, with the same filters as search.")
    public RecommendationResponse similar(@PathParam("productId") String productId, @BeanParam ListingParams listing) {
        ProductValidator.validateId("productId", productId);
        return recommendations.similar(productId, listing.filter(), listing.page()).orElseGet(() -> {
            if (catalog.findBlocking(productId).isEmpty()) {
                throw ApiException.notFound("No product with id '" + productId + "' is in the catalog.");
            }
            // in the catalog but not embedded yet: an empty answer beats an error for a storefront
            return recommendations.empty();
        });
    }
}

package io.tastemaker.recommend.rest;

import io.tastemaker.recommend.Listing;
import io.tastemaker.recommend.Recommendations;
import io.tastemaker.recommend.RecommendationService;
import io.tastemaker.recommend.ShoppingRequest;
import io.tastemaker.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tastemaker.api.ApiException;
import io.tastemaker.api.ProblemMapper;
import io.tastemaker.api.InvalidInputException;
import io.tastemaker.catalog.CatalogStore;
import io.tastemaker.catalog.ProductValidator;
import io.tastemaker.api.UserIds;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Storefront endpoints. Ranking runs on worker threads ({@link Blocking}: embedding a query and
 * walking the HNSW graph are CPU work that must not hold the event loop); the answer is a
 * completion stage so that waiting for the reranking LLM holds no thread.
 */
@Blocking
@Path("/v1")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Storefront")
@RolesAllowed({Roles.STOREFRONT, Roles.MERCHANDISER, Roles.DATA_SCIENTIST})
public class RecommendationResource {

    static final int MAX_QUERY_LENGTH = 500;

    private final RecommendationService recommendations;
    private final CatalogStore catalog;
    private final ObjectMapper mapper;

    RecommendationResource(RecommendationService recommendations, CatalogStore catalog, ObjectMapper mapper) {
        this.recommendations = recommendations;
        this.catalog = catalog;
        this.mapper = mapper;
    }

    @GET
    @Path("/search")
    @Operation(summary = "Semantic product search", description = "Filters: category (a level name or path prefix), "
            + "brand, minPrice, maxPrice, inStock; exclude=id1,id2 leaves products out; weights=query:1,profile:0.3 "
            + "overrides source weights for experiments; userId nudges results to the shopper's taste. Pages with "
            + "limit (max 100) and the cursor of the previous answer.")
    public CompletionStage<RecommendationResponse> search(@QueryParam("q") String q, @QueryParam("userId") String userId,
                                         @BeanParam ListingParams listing) {
        validateQuery("q", q);
        validateOptionalUser(userId);
        return recommendations.search(q, userId, listing.listing()).thenApply(RecommendationResponse::of);
    }

    /** The body of an assistant request. */
    public record AssistantRequest(String userId, String query, ListFilters filters, Integer limit,
                                   List<String> exclude, Map<String, Double> weights, Boolean rerank,
                                   String placement) {
    }

    @POST
    @Path("/assistant/suggestions")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Shopping assistant", description = "A request in the shopper's words (\"cozy reading nook "
            + "under $200\"): price phrases become filters, the rest is blended with the shopper's taste. "
            + "Optional filters as in search; limit up to 100. With an LLM configured, the best candidates are "
            + "reranked for the request and the shopper, each with the model's reason first.")
    public CompletionStage<RecommendationResponse> suggest(@RequestBody(content = @Content(schema = @Schema(implementation = AssistantRequest.class)))
                                          JsonNode json) {
        if (json == null || !json.isObject()) {
            throw new InvalidInputException("body", "is required: {\"query\": \"...\"}");
        }
        AssistantRequest body;
        try {
            body = json.traverse(mapper).readValueAs(AssistantRequest.class);
        } catch (JsonMappingException e) {
            throw new InvalidInputException(ProblemMapper.jsonPath(e.getPath()), e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw new InvalidInputException("body", e.getMessage());
        }
        validateQuery("query", body.query());
        validateOptionalUser(body.userId());
        ShoppingRequest words = ShoppingRequest.read(body.query());
        ListFilters filters = (body.filters() == null ? ListFilters.NONE : body.filters())
                .withPricesIfUnset(words.minPrice(), words.maxPrice());
        Listing listing = ListingParser.listing(filters, body.limit(), null, body.exclude(), body.weights(), body.rerank(),
                body.placement());
        return recommendations.assist(words.query(), body.userId(), listing).thenApply(RecommendationResponse::of);
    }

    static void validateQuery(String field, String q) {
        if (q == null || q.isBlank()) {
            throw new InvalidInputException(field, "is required: what the shopper is looking for");
        }
        if (q.length() > MAX_QUERY_LENGTH) {
            throw new InvalidInputException(field, "is longer than " + MAX_QUERY_LENGTH + " characters");
        }
    }

    private static void validateOptionalUser(String userId) {
        if (userId != null) {
            UserIds.validate("userId", userId);
        }
    }

    @GET
    @Path("/users/{userId}/feed")
    @Operation(summary = "A shopper's home feed", description = "Blends products close to the shopper's taste, like "
            + "and after what they engaged with recently, and trending ones; never hidden or bought ones; trending for "
            + "new shoppers. Same filters, exclude, weights and paging as search.")
    public CompletionStage<RecommendationResponse> feed(@PathParam("userId") String userId, @BeanParam ListingParams listing) {
        UserIds.validate("userId", userId);
        return recommendations.feed(userId, listing.listing()).thenApply(RecommendationResponse::of);
    }

    @GET
    @Path("/products/{productId}/similar")
    @Operation(summary = "More like this", description = "Products nearest to this one in content and what shoppers "
            + "went on to from it; nudged by the shopper's taste with userId. Same filters as search.")
    public CompletionStage<RecommendationResponse> similar(@PathParam("productId") String productId, @QueryParam("userId") String userId,
                                          @BeanParam ListingParams listing) {
        ProductValidator.validateId("productId", productId);
        validateOptionalUser(userId);
        return recommendations.similar(productId, userId, listing.listing())
                .orElseGet(() -> notEmbeddedYet(recommendations, catalog, productId, listing.listing())).thenApply(RecommendationResponse::of);
    }

    /** "More like this" for a product the index does not have: 404 if the catalog does not either. */
    static CompletionStage<Recommendations> notEmbeddedYet(RecommendationService recommendations, CatalogStore catalog,
                                                           String productId, Listing listing) {
        if (catalog.findBlocking(productId).isEmpty()) {
            throw ApiException.notFound("No product with id '" + productId + "' is in the catalog.");
        }
        // in the catalog but not embedded yet: an empty answer beats an error for a storefront
        return CompletableFuture.completedFuture(recommendations.empty(listing));
    }
}

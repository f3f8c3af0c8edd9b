package io.tastemaker.recommend.rest;

import io.tastemaker.recommend.Listing;
import io.tastemaker.vectors.VectorFilter;
import jakarta.ws.rs.QueryParam;

/**
 * The query parameters every storefront list takes: filters, products to leave out
 * ({@code exclude=p1,p2}: the cart, the product on screen), paging, and source weights for
 * experiments ({@code weights=coEngagement:2,trending:0}), {@code rerank=false} to skip the LLM, and
 * the {@code placement} the storefront shows the list in (its outcomes are reported under it).
 */
public class ListingParams {

    @QueryParam("limit")
    String limit;
    @QueryParam("cursor")
    String cursor;
    @QueryParam("category")
    String category;
    @QueryParam("brand")
    String brand;
    @QueryParam("minPrice")
    String minPrice;
    @QueryParam("maxPrice")
    String maxPrice;
    @QueryParam("inStock")
    String inStock;
    @QueryParam("exclude")
    String exclude;
    @QueryParam("weights")
    String weights;
    @QueryParam("rerank")
    String rerank;
    @QueryParam("placement")
    String placement;

    /** Throws {@link io.tastemaker.api.InvalidInputException} naming the first wrong parameter. */
    public Listing listing() {
        VectorFilter filter = Filters.parse(category, brand, minPrice, maxPrice, inStock)
                .excluding(Filters.productIds("exclude", exclude));
        return new Listing(filter, ListingParser.page(limit, cursor), ListingParser.weights("weights", weights),
                ListingParser.rerank("rerank", rerank), ListingParser.placement("placement", placement));
    }
}

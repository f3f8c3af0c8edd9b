package io.tastemaker.recommend;

import io.tastemaker.vectors.VectorFilter;
import jakarta.ws.rs.QueryParam;

/** The query parameters every storefront list takes: filters and paging. */
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

    /** Throws {@link io.tastemaker.api.InvalidInputException} naming every wrong filter. */
    public VectorFilter filter() {
        return Filters.parse(category, brand, minPrice, maxPrice, inStock);
    }

    public Page page() {
        return Page.parse(limit, cursor);
    }
}

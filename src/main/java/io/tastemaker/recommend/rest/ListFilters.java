package io.tastemaker.recommend.rest;

import java.math.BigDecimal;

/** The filters of a list asked for in a JSON body (the assistant, a part of a batch), as search takes them. */
public record ListFilters(String category, String brand, BigDecimal minPrice, BigDecimal maxPrice, Boolean inStock) {

    static final ListFilters NONE = new ListFilters(null, null, null, null, null);

    /** These filters, with the price bounds the shopper's words gave where the filters give none. */
    ListFilters withPricesIfUnset(BigDecimal min, BigDecimal max) {
        return new ListFilters(category, brand, minPrice != null ? minPrice : min, maxPrice != null ? maxPrice : max,
                inStock);
    }
}

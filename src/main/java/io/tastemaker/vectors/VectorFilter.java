package io.tastemaker.vectors;

import java.math.BigDecimal;
import java.util.Set;

/**
 * Restricts a search to products matching every given field; a null field does not restrict.
 * {@code category} matches any level name or path prefix, {@code brand} the exact brand, both
 * case-insensitively; price bounds are inclusive.
 */
public record VectorFilter(String category, String brand, BigDecimal minPrice, BigDecimal maxPrice, Boolean inStock,
                           Set<String> excludeIds) {

    public static final VectorFilter NONE = new VectorFilter(null, null, null, null, null, Set.of());

    public VectorFilter {
        excludeIds = excludeIds == null ? Set.of() : Set.copyOf(excludeIds);
    }

    /** Whether a payload field restricts the search (id exclusions aside). */
    public boolean restrictsPayload() {
        return category != null || brand != null || minPrice != null || maxPrice != null || inStock != null;
    }

    public VectorFilter excluding(Set<String> ids) {
        return new VectorFilter(category, brand, minPrice, maxPrice, inStock, ids);
    }

    /** The same rules as the adapters apply, for checks outside the index. */
    public boolean matches(String id, ProductPayload p) {
        if (p.unknown()) {
            return !excludeIds.contains(id) && !restrictsPayload(); // what cannot be checked is not shown
        }
        return !excludeIds.contains(id)
                && (category == null || p.categoryKeys().contains(ProductPayload.normalize(category)))
                && (brand == null || (p.brand() != null && ProductPayload.normalize(p.brand())
                        .equals(ProductPayload.normalize(brand))))
                && (minPrice == null || p.price().compareTo(minPrice) >= 0)
                && (maxPrice == null || p.price().compareTo(maxPrice) <= 0)
                && (inStock == null || p.inStock() == inStock);
    }
}

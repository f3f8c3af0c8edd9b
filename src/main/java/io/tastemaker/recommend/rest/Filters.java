package io.tastemaker.recommend.rest;

import io.tastemaker.api.FieldError;
import io.tastemaker.api.InvalidInputException;
import io.tastemaker.catalog.ProductValidator;
import io.tastemaker.vectors.VectorFilter;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Reads the storefront filter parameters, naming each one that is wrong. */
public final class Filters {

    private Filters() {
    }

    public static VectorFilter parse(String category, String brand, String minPrice, String maxPrice, String inStock) {
        return parse(category, brand, minPrice, maxPrice, inStock, "");
    }

    /** {@code prefix} names where the fields sit in a body ({@code "filters."}); "" for query parameters. */
    public static VectorFilter parse(String category, String brand, String minPrice, String maxPrice, String inStock,
                                     String prefix) {
        List<FieldError> errors = new ArrayList<>();
        BigDecimal min = price(errors, prefix + "minPrice", minPrice);
        BigDecimal max = price(errors, prefix + "maxPrice", maxPrice);
        if (min != null && max != null && min.compareTo(max) > 0) {
            errors.add(new FieldError(prefix + "minPrice", "must not exceed maxPrice"));
        }
        Boolean stock = null;
        if (inStock != null) {
            switch (inStock.trim().toLowerCase()) {
                case "true" -> stock = true;
                case "false" -> stock = false;
                default -> errors.add(new FieldError(prefix + "inStock", "must be true or false"));
            }
        }
        text(errors, prefix + "category", category);
        text(errors, prefix + "brand", brand);
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        return new VectorFilter(blankToNull(category), blankToNull(brand), min, max, stock, Set.of());
    }

    /** A comma-separated list of product ids (at most 100), e.g. the products to leave out. */
    public static Set<String> productIds(String field, String value) {
        return value == null || value.isBlank() ? Set.of() : productIds(field, List.of(value.split(",")));
    }

    /** Product ids (at most 100), validated, blanks ignored. */
    public static Set<String> productIds(String field, List<String> values) {
        Set<String> ids = new java.util.LinkedHashSet<>();
        for (String id : values) {
            if (id == null) {
                continue;
            }
            if (!id.isBlank()) {
                ProductValidator.validateId(field, id.trim());
                ids.add(id.trim());
            }
        }
        if (ids.size() > 100) {
            throw new InvalidInputException(field, "lists more than 100 products");
        }
        return ids;
    }

    private static BigDecimal price(List<FieldError> errors, String field, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            BigDecimal price = new BigDecimal(value.trim());
            if (price.signum() < 0) {
                errors.add(new FieldError(field, "must not be negative"));
            }
            return price;
        } catch (NumberFormatException e) {
            errors.add(new FieldError(field, "must be a number such as 49.99"));
            return null;
        }
    }

    private static void text(List<FieldError> errors, String field, String value) {
        if (value != null && value.length() > 200) {
            errors.add(new FieldError(field, "is longer than 200 characters"));
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}

package io.tastemaker.catalog;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/** A product as merchants send it and as the catalog API returns it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Product(
        String id,
        String title,
        String description,
        String brand,
        List<String> categoryPath,
        List<String> tags,
        BigDecimal price,
        String currency,
        String imageUrl,
        Boolean inStock,
        Instant updatedAt) {

    public Product {
        description = description == null ? "" : description;
        tags = tags == null ? List.of() : List.copyOf(tags);
        categoryPath = categoryPath == null ? null : List.copyOf(categoryPath);
        inStock = inStock == null ? Boolean.TRUE : inStock;
    }

    public Product withId(String newId) {
        return new Product(newId, title, description, brand, categoryPath, tags, price, currency, imageUrl, inStock,
                updatedAt);
    }

    public Product withUpdatedAt(Instant at) {
        return new Product(id, title, description, brand, categoryPath, tags, price, currency, imageUrl, inStock, at);
    }

    /** "Home > Lighting > Table Lamps". */
    public String category() {
        return String.join(" > ", categoryPath);
    }
}

package io.tastemaker.catalog;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/** A row of {@code products}; see V1__catalog.sql. */
@Entity
@Table(name = "products")
public class ProductEntity extends PanacheEntityBase {

    static final String PATH_SEPARATOR = " > ";

    @Id
    public String id;
    public String title;
    public String description;
    public String brand;
    @Column(name = "category_path")
    public String categoryPath;
    public String[] tags;
    public BigDecimal price;
    public String currency;
    @Column(name = "image_url")
    public String imageUrl;
    @Column(name = "in_stock")
    public boolean inStock;
    @Column(name = "updated_at")
    public Instant updatedAt;

    void copyFrom(Product p) {
        id = p.id();
        title = p.title();
        description = p.description();
        brand = p.brand();
        categoryPath = String.join(PATH_SEPARATOR, p.categoryPath());
        tags = p.tags().toArray(String[]::new);
        price = p.price();
        currency = p.currency();
        imageUrl = p.imageUrl();
        inStock = p.inStock();
        updatedAt = p.updatedAt();
    }

    Product toProduct() {
        return new Product(id, title, description, brand, List.of(categoryPath.split(PATH_SEPARATOR)),
                tags == null ? List.of() : Arrays.asList(tags), plain(price), currency, imageUrl, inStock, updatedAt);
    }

    /** numeric(14,4) reads back as 49.9900: answer 49.99, as the merchant wrote it. */
    private static BigDecimal plain(BigDecimal amount) {
        BigDecimal stripped = amount.stripTrailingZeros();
        return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
    }
}

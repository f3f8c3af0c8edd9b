package io.tastemaker.demo;

import io.tastemaker.catalog.Product;
import io.tastemaker.catalog.ProductValidator;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DemoCatalogTest {

    @Test
    void should_generate_the_same_valid_catalog_every_time() {
        List<Product> catalog = DemoCatalog.generate(6000, 42);

        assertThat(catalog).hasSize(6000).isEqualTo(DemoCatalog.generate(6000, 42));
        assertThat(catalog).isNotEqualTo(DemoCatalog.generate(6000, 7));
        catalog.forEach(ProductValidator::validate);
        assertThat(new HashSet<>(catalog.stream().map(Product::id).toList())).hasSize(6000);
        assertThat(new HashSet<>(catalog.stream().map(Product::title).toList())).hasSize(6000);
        assertThat(catalog.stream().map(Product::category).distinct().count()).isGreaterThanOrEqualTo(20);
        assertThat(catalog.stream().map(Product::brand).distinct().count()).isGreaterThanOrEqualTo(30);
        assertThat(catalog.stream().filter(p -> !p.inStock()).count()).isBetween(200L, 1000L);
    }
}

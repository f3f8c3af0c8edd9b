package io.tastemaker.catalog;

import io.tastemaker.api.FieldError;
import io.tastemaker.api.InvalidInputException;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProductValidatorTest {

    private static Product product(String id, String title, List<String> path, List<String> tags, String price,
                                   String currency, String imageUrl) {
        return new Product(id, title, "", "Brand", path, tags, price == null ? null : new BigDecimal(price), currency,
                imageUrl, true, null);
    }

    @Test
    void should_accept_a_complete_product() {
        assertThatCode(() -> ProductValidator.validate(product("sku-1:blue_L", "Lamp", List.of("Home", "Lighting"),
                List.of("brass"), "0", "JPY", "https://img.example/a.jpg"))).doesNotThrowAnyException();
    }

    @Test
    void should_name_each_invalid_field() {
        assertFields(product("", " ", null, List.of(""), null, null, "not a url"),
                "id", "title", "categoryPath", "tags[0]", "price", "currency", "imageUrl");
        assertFields(product("a b", "Lamp", List.of("Home", "A > B"), List.of(), "1.00001", "XXQ", null),
                "id", "categoryPath[1]", "price", "currency");
        assertFields(product("ok", "T".repeat(301), List.of("Home"), Collections.nCopies(51, "t"), "-1", "USD", null),
                "title", "tags", "price");
    }

    private static void assertFields(Product p, String... fields) {
        assertThatThrownBy(() -> ProductValidator.validate(p))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> org.assertj.core.api.Assertions
                        .assertThat(e.errors()).extracting(FieldError::field).containsExactlyInAnyOrder(fields));
    }
}

package io.tastemaker.recommend;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;

import static org.assertj.core.api.Assertions.assertThat;

class ShoppingRequestTest {

    @Test
    void a_price_ceiling_in_words_becomes_a_filter_and_leaves_the_query() {
        ShoppingRequest r = ShoppingRequest.read("cozy reading nook under $200");

        assertThat(r.query()).isEqualTo("cozy reading nook");
        assertThat(r.maxPrice()).isEqualByComparingTo("200");
        assertThat(r.minPrice()).isNull();
    }

    @Test
    void ranges_floors_and_currencies_are_understood() {
        ShoppingRequest between = ShoppingRequest.read("gift for a coffee lover between 20 and 50 dollars");
        assertThat(between.query()).isEqualTo("gift for a coffee lover");
        assertThat(between.minPrice()).isEqualByComparingTo("20");
        assertThat(between.maxPrice()).isEqualByComparingTo("50");

        ShoppingRequest over = ShoppingRequest.read("Leather boots over €120.50, waterproof");
        assertThat(over.minPrice()).isEqualByComparingTo(new BigDecimal("120.50"));
        assertThat(over.query()).isEqualTo("Leather boots, waterproof");
    }

    @Test
    void text_without_a_price_is_left_alone() {
        ShoppingRequest r = ShoppingRequest.read("a lamp for 2 people");

        assertThat(r.query()).isEqualTo("a lamp for 2 people");
        assertThat(r.minPrice()).isNull();
        assertThat(r.maxPrice()).isNull();
    }
}

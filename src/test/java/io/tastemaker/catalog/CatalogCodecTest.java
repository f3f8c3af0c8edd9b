package io.tastemaker.catalog;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.tastemaker.api.InvalidInputException;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CatalogCodecTest {

    private final CatalogCodec codec = new CatalogCodec(new ObjectMapper().registerModule(new JavaTimeModule()));
    private final Instant recordTime = Instant.parse("2026-11-20T10:00:00Z");

    @Test
    void should_round_trip_an_upsert() {
        Product lamp = new Product("p1", "Lamp", "Warm light", "Lumen", List.of("Home", "Lighting"), List.of("brass"),
                new BigDecimal("19.99"), "USD", "https://img.example/p1.jpg", false, Instant.parse("2026-11-01T00:00:00Z"));

        CatalogChange decoded = codec.decode("p1", codec.encode(new CatalogChange.Upsert(lamp)), recordTime);

        assertThat(decoded).isEqualTo(new CatalogChange.Upsert(lamp));
    }

    @Test
    void should_stamp_a_product_without_updated_at_with_the_record_time() {
        String value = "{\"schema\":1,\"op\":\"upsert\",\"product\":{\"id\":\"p1\",\"title\":\"Lamp\","
                + "\"categoryPath\":[\"Home\"],\"price\":5,\"currency\":\"EUR\"}}";

        CatalogChange.Upsert upsert = (CatalogChange.Upsert) codec.decode("p1", value, recordTime);

        assertThat(upsert.product().updatedAt()).isEqualTo(recordTime);
        assertThat(upsert.product().inStock()).isTrue();
    }

    @Test
    void should_read_deletes_and_tombstones() {
        assertThat(codec.decode("p1", codec.encode(new CatalogChange.Delete("p1")), recordTime))
                .isEqualTo(new CatalogChange.Delete("p1"));
        assertThat(codec.decode("p1", null, recordTime)).isEqualTo(new CatalogChange.Delete("p1"));
    }

    @Test
    void should_name_what_is_wrong_with_a_record() {
        assertReason(null, "{}", "key");
        assertReason("p1", "[1,2]", "value");
        assertReason("p1", "{oops", "value: is not JSON");
        assertReason("p1", "{\"schema\":2,\"op\":\"delete\",\"productId\":\"p1\"}", "schema");
        assertReason("p1", "{\"schema\":1,\"op\":\"merge\"}", "op");
        assertReason("p1", "{\"schema\":1,\"op\":\"upsert\",\"product\":{\"id\":\"p1\",\"title\":\"Lamp\","
                + "\"categoryPath\":[\"Home\"],\"price\":\"lots\",\"currency\":\"USD\"}}", "product.price");
        assertReason("other", "{\"schema\":1,\"op\":\"delete\",\"productId\":\"p1\"}", "key: must equal the product id");
    }

    private void assertReason(String key, String value, String expected) {
        assertThatThrownBy(() -> codec.decode(key, value, recordTime))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining(expected);
    }
}

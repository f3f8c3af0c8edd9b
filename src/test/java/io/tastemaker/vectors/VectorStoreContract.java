package io.tastemaker.vectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Collections and aliases, as every {@link VectorStore} adapter must manage them. */
public abstract class VectorStoreContract {

    protected VectorStore store;

    protected abstract VectorStore open();

    @BeforeEach
    void openStore() {
        store = open();
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    @Test
    void should_create_collections_on_first_use_and_keep_them_apart() {
        VectorIndex v1 = store.collection("products-v1", 3);
        VectorIndex v2 = store.collection("products-v2", 3);
        v1.upsert(List.of(record("a")));

        assertThat(store.collections()).contains("products-v1", "products-v2");
        assertThat(v1.count()).isEqualTo(1);
        assertThat(v2.count()).isZero();
        assertThat(store.collection("products-v1", 3).count()).isEqualTo(1);
    }

    @Test
    void should_point_and_switch_an_alias() {
        store.collection("products-v1", 3);
        store.collection("products-v2", 3);
        assertThat(store.aliasTarget("products")).isEmpty();

        store.pointAlias("products", "products-v1");
        assertThat(store.aliasTarget("products")).contains("products-v1");

        store.pointAlias("products", "products-v2");
        assertThat(store.aliasTarget("products")).contains("products-v2");
    }

    @Test
    void should_refuse_an_alias_to_a_missing_collection_and_keep_the_old_target() {
        store.collection("products-v1", 3);
        store.pointAlias("products", "products-v1");

        assertThatThrownBy(() -> store.pointAlias("products", "no-such-collection")).isInstanceOf(RuntimeException.class);
        assertThat(store.aliasTarget("products")).contains("products-v1");
    }

    @Test
    void should_drop_a_collection_with_its_alias() {
        store.collection("products-old", 3).upsert(List.of(record("a")));
        store.pointAlias("old", "products-old");

        store.drop("products-old");

        assertThat(store.collections()).doesNotContain("products-old");
        assertThat(store.aliasTarget("old")).isEmpty();
        assertThat(store.collection("products-old", 3).count()).isZero();
    }

    @Test
    void should_report_itself_healthy() {
        assertThat(store.healthy()).isTrue();
    }

    private static VectorRecord record(String id) {
        return new VectorRecord(id, new float[] {1, 0, 0}, new ProductPayload("T", null, List.of("Home"), List.of(),
                BigDecimal.ONE, "USD", null, true, "h"));
    }
}

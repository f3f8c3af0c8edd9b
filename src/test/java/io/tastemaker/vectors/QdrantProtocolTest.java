package io.tastemaker.vectors;

import io.grpc.Status;
import io.qdrant.client.grpc.Common;
import io.qdrant.client.grpc.Points;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the Qdrant adapter sends on the wire: collection layout, batching, filters, retries, errors. */
class QdrantProtocolTest {

    private final QdrantStandIn qdrant = new QdrantStandIn();
    private final QdrantVectorStore store = QdrantVectorStore.over(qdrant.channel(), QdrantTestConfig.inProcess());

    @AfterEach
    void stop() {
        store.close();
        qdrant.close();
    }

    @Test
    void should_create_a_cosine_collection_with_a_payload_index_for_every_filter_field() {
        store.collection("products-v1", 4);

        assertThat(qdrant.indexedFields("products-v1"))
                .containsExactlyInAnyOrder("category_keys", "brand_key", "tag_keys", "price", "in_stock", "product_id");
        // a second instance finding the collection creates nothing
        QdrantVectorStore.over(qdrant.channel(), QdrantTestConfig.inProcess()).collection("products-v1", 4);
        assertThat(qdrant.requests()).filteredOn(r -> r.startsWith("Create ")).hasSize(1);
    }

    @Test
    void should_split_large_upserts_into_batches_that_all_wait_for_durability() {
        VectorIndex index = store.collection("products-v1", 4);

        index.upsert(records(100));

        assertThat(qdrant.upserts()).hasSize(7)
                .allSatisfy(u -> {
                    assertThat(u.getPointsCount()).isLessThanOrEqualTo(16);
                    assertThat(u.getWait()).isTrue();
                });
        assertThat(index.count()).isEqualTo(100);
    }

    @Test
    void should_translate_every_filter_field_into_qdrant_conditions() {
        VectorIndex index = store.collection("products-v1", 4);
        index.upsert(records(3));

        index.search(new float[] {1, 0, 0, 0}, new VectorFilter("Home > Lighting", "LUMEN", new BigDecimal("10"),
                new BigDecimal("99.5"), true, Set.of("p0")), 5);

        Common.Filter filter = qdrant.filters().get(0);
        assertThat(filter.getMustList()).extracting(c -> c.getField().getKey())
                .containsExactly("category_keys", "brand_key", "price", "in_stock");
        assertThat(filter.getMust(0).getField().getMatch().getKeyword()).isEqualTo("home > lighting");
        assertThat(filter.getMust(1).getField().getMatch().getKeyword()).isEqualTo("lumen");
        assertThat(filter.getMust(2).getField().getRange().getGte()).isEqualTo(10.0);
        assertThat(filter.getMust(2).getField().getRange().getLte()).isEqualTo(99.5);
        assertThat(filter.getMust(3).getField().getMatch().getBoolean()).isTrue();
        assertThat(filter.getMustNot(0).getHasId().getHasIdList()).containsExactly(QdrantPayloads.pointId("p0"));
    }

    @Test
    void should_send_no_filter_when_nothing_is_filtered() {
        VectorIndex index = store.collection("products-v1", 4);
        index.upsert(records(3));

        assertThat(index.search(new float[] {1, 0, 0, 0}, VectorFilter.NONE, 2)).hasSize(2);
        assertThat(qdrant.filters()).isEmpty();
    }

    @Test
    void should_retry_transient_failures_with_backoff() {
        VectorIndex index = store.collection("products-v1", 4);
        qdrant.failNext(2, Status.UNAVAILABLE);

        index.upsert(records(3));

        assertThat(index.count()).isEqualTo(3);
    }

    @Test
    void should_fail_at_once_with_a_clear_message_on_a_refused_request() {
        VectorIndex index = store.collection("products-v1", 4);
        int before = qdrant.requests().size();

        assertThatThrownBy(() -> index.upsert(List.of(new VectorRecord("p", new float[] {1, 0}, payload(0)))))
                .isInstanceOf(VectorStoreException.class)
                .hasMessageContaining("upsert")
                .hasMessageContaining("INVALID_ARGUMENT")
                .hasMessageContaining("expected dim: 4");
        assertThat(qdrant.requests().size() - before).isEqualTo(1);
    }

    @Test
    void should_give_up_after_the_configured_retries() {
        VectorIndex index = store.collection("products-v1", 4);
        qdrant.failNext(10, Status.UNAVAILABLE);
        int before = qdrant.requests().size();

        assertThatThrownBy(index::count).isInstanceOf(VectorStoreException.class).hasMessageContaining("UNAVAILABLE");
        assertThat(qdrant.requests().size() - before).isEqualTo(4);
    }

    @Test
    void should_switch_an_alias_in_one_request() {
        store.collection("products-v1", 4);
        store.collection("products-v2", 4);
        store.pointAlias("products", "products-v1");

        store.pointAlias("products", "products-v2");

        assertThat(qdrant.requests()).filteredOn(r -> r.startsWith("UpdateAliases")).last().isEqualTo("UpdateAliases 2");
        assertThat(store.aliasTarget("products")).contains("products-v2");
    }

    @Test
    void should_let_instances_starting_together_point_the_same_alias() throws Exception {
        store.collection("products-v1", 4);
        int instances = 4;
        List<QdrantVectorStore> others = new ArrayList<>();
        for (int i = 0; i < instances; i++) {
            others.add(QdrantVectorStore.over(qdrant.channel(), QdrantTestConfig.inProcess()));
        }
        java.util.concurrent.ExecutorService starting = java.util.concurrent.Executors.newFixedThreadPool(instances);
        try {
            for (int round = 0; round < 30; round++) {
                String alias = "products-" + round;
                java.util.concurrent.CyclicBarrier together = new java.util.concurrent.CyclicBarrier(instances);
                List<java.util.concurrent.Future<?>> started = new ArrayList<>();
                for (QdrantVectorStore instance : others) {
                    started.add(starting.submit(() -> {
                        together.await();
                        instance.pointAlias(alias, "products-v1");
                        return null;
                    }));
                }
                for (java.util.concurrent.Future<?> f : started) {
                    f.get(); // an instance that lost the race must not fail its start
                }
                assertThat(store.aliasTarget(alias)).contains("products-v1");
            }
        } finally {
            starting.shutdownNow();
            others.forEach(QdrantVectorStore::close);
        }
    }

    @Test
    void should_read_and_write_through_an_alias() {
        store.collection("products-v1", 4).upsert(records(2));
        store.pointAlias("products", "products-v1");

        assertThat(store.collection("products", 4).count()).isEqualTo(2);
    }

    private static List<VectorRecord> records(int count) {
        List<VectorRecord> records = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            records.add(new VectorRecord("p" + i, new float[] {1, i, 0, 0}, payload(i)));
        }
        return records;
    }

    private static ProductPayload payload(int i) {
        return new ProductPayload("T" + i, "Lumen", List.of("Home", "Lighting"), List.of(), BigDecimal.valueOf(10 + i),
                "USD", null, true, "h" + i);
    }
}

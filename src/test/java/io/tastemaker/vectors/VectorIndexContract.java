package io.tastemaker.vectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The behaviour every {@link VectorIndex} adapter must have. An adapter's test extends this
 * class and says how to open its index and how to reopen it over the same stored data.
 */
public abstract class VectorIndexContract {

    protected static final int DIMENSION = 16;
    protected VectorIndex index;

    /** A new, empty index. */
    protected abstract VectorIndex open();

    /** Closes {@code current} and opens the same stored data again, as after a restart. */
    protected abstract VectorIndex reopen(VectorIndex current);

    @BeforeEach
    void openIndex() {
        index = open();
    }

    @AfterEach
    void closeIndex() {
        index.close();
    }

    @Test
    void should_return_nearest_products_first_with_cosine_scores() {
        index.upsert(List.of(
                record("near", axis(0, 1.0f, 0.1f), payload("Lamp", "Lumen", "Home/Lighting", "19.99", true)),
                record("middle", axis(0, 1.0f, 1.0f), payload("Sofa", "Haven", "Home/Furniture", "499", true)),
                record("far", axis(1, 1.0f, 0f), payload("Mug", "Kiln", "Kitchen/Mugs", "12", true))));

        List<VectorHit> hits = index.search(axis(0, 1.0f, 0f), VectorFilter.NONE, 3);

        assertThat(hits).extracting(VectorHit::id).containsExactly("near", "middle", "far");
        assertThat(hits.get(0).score()).isCloseTo(cosine(axis(0, 1.0f, 0.1f), axis(0, 1.0f, 0f)), within(1e-3));
        assertThat(hits.get(2).score()).isCloseTo(0.0, within(1e-3));
        assertThat(hits.get(0).payload().title()).isEqualTo("Lamp");
    }

    @Test
    void should_respect_the_limit() {
        index.upsert(randomRecords(30, new Random(1)));

        assertThat(index.search(randomVector(new Random(2)), VectorFilter.NONE, 7)).hasSize(7);
    }

    @Test
    void should_filter_by_category_level_or_path_prefix_case_insensitively() {
        index.upsert(List.of(
                record("lamp", axis(0, 1, 0), payload("Lamp", "Lumen", "Home/Lighting/Table Lamps", "20", true)),
                record("sofa", axis(0, 1, 0.2f), payload("Sofa", "Haven", "Home/Furniture/Sofas", "500", true)),
                record("mug", axis(0, 1, 0.1f), payload("Mug", "Kiln", "Kitchen/Tableware/Mugs", "12", true))));

        assertThat(ids(index.search(axis(0, 1, 0), filter("home", null, null, null, null), 10)))
                .containsExactly("lamp", "sofa");
        assertThat(ids(index.search(axis(0, 1, 0), filter("Home > Lighting", null, null, null, null), 10)))
                .containsExactly("lamp");
        assertThat(ids(index.search(axis(0, 1, 0), filter("Mugs", null, null, null, null), 10)))
                .containsExactly("mug");
        assertThat(index.search(axis(0, 1, 0), filter("Garden", null, null, null, null), 10)).isEmpty();
    }

    @Test
    void should_filter_by_brand_price_range_and_stock() {
        index.upsert(List.of(
                record("cheap", axis(0, 1, 0), payload("A", "Lumen", "Home/Lighting", "10", true)),
                record("mid", axis(0, 1, 0.1f), payload("B", "Lumen", "Home/Lighting", "50", false)),
                record("dear", axis(0, 1, 0.2f), payload("C", "Nordlys", "Home/Lighting", "200", true))));

        assertThat(ids(index.search(axis(0, 1, 0), filter(null, "LUMEN", null, null, null), 10)))
                .containsExactly("cheap", "mid");
        assertThat(ids(index.search(axis(0, 1, 0), filter(null, null, "10", "50", null), 10)))
                .containsExactly("cheap", "mid");
        assertThat(ids(index.search(axis(0, 1, 0), filter(null, null, "11", null, null), 10)))
                .containsExactly("mid", "dear");
        assertThat(ids(index.search(axis(0, 1, 0), filter(null, null, null, null, true), 10)))
                .containsExactly("cheap", "dear");
        assertThat(ids(index.search(axis(0, 1, 0), filter(null, "lumen", null, "40", false), 10))).isEmpty();
    }

    @Test
    void should_find_every_match_of_a_very_selective_filter() {
        Random random = new Random(7);
        List<VectorRecord> records = new ArrayList<>(randomRecords(2000, random));
        records.add(record("needle-1", randomVector(random), payload("N1", "Rare", "Home/Rare", "5", true)));
        records.add(record("needle-2", randomVector(random), payload("N2", "Rare", "Home/Rare", "6", true)));
        index.upsert(records);

        assertThat(ids(index.search(randomVector(random), filter(null, "rare", null, null, null), 10)))
                .containsExactlyInAnyOrder("needle-1", "needle-2");
    }

    @Test
    void should_exclude_given_ids() {
        index.upsert(List.of(
                record("self", axis(0, 1, 0), payload("A", "Lumen", "Home/Lighting", "10", true)),
                record("other", axis(0, 1, 0.3f), payload("B", "Lumen", "Home/Lighting", "10", true))));

        assertThat(ids(index.search(axis(0, 1, 0), VectorFilter.NONE.excluding(Set.of("self")), 10)))
                .containsExactly("other");
    }

    @Test
    void should_replace_a_record_on_upsert_with_the_same_id() {
        index.upsert(List.of(record("p", axis(0, 1, 0), payload("Old", "Lumen", "Home/Lighting", "10", true))));
        assertThat(index.get(List.of("p")).get("p").payload().title()).isEqualTo("Old");
        index.upsert(List.of(record("p", axis(1, 1, 0), payload("New", "Lumen", "Kitchen/Mugs", "12", true))));

        assertThat(index.count()).isEqualTo(1);
        assertThat(index.get(List.of("p")).get("p").payload().title()).isEqualTo("New"); // no stale copy kept
        List<VectorHit> hits = index.search(axis(1, 1, 0), VectorFilter.NONE, 5);
        assertThat(hits).singleElement().satisfies(hit -> {
            assertThat(hit.payload().title()).isEqualTo("New");
            assertThat(hit.score()).isCloseTo(1.0, within(1e-3));
        });
        assertThat(index.search(axis(1, 1, 0), filter("home", null, null, null, null), 5)).isEmpty();
    }

    @Test
    void should_delete_records_and_ignore_unknown_ids() {
        index.upsert(randomRecords(5, new Random(3)));
        assertThat(index.get(List.of("r0", "r1"))).containsOnlyKeys("r0", "r1");

        index.delete(List.of("r0", "r3", "never-there"));

        assertThat(index.count()).isEqualTo(3);
        assertThat(ids(index.search(randomVector(new Random(4)), VectorFilter.NONE, 10)))
                .containsExactlyInAnyOrder("r1", "r2", "r4");
        assertThat(index.get(List.of("r0"))).isEmpty();
    }

    @Test
    void should_answer_the_same_after_compacting_many_small_writes() {
        List<VectorRecord> records = randomRecords(200, new Random(7));
        for (int i = 0; i < records.size(); i += 10) {
            index.upsert(records.subList(i, i + 10));
        }
        float[] query = randomVector(new Random(8));
        List<String> before = ids(index.search(query, VectorFilter.NONE, 10));

        index.compact();

        assertThat(index.count()).isEqualTo(200);
        assertThat(ids(index.search(query, VectorFilter.NONE, 10))).isEqualTo(before);
        assertThat(index.get(List.of("r0", "r199"))).containsOnlyKeys("r0", "r199");
    }

    @Test
    void should_return_stored_vectors_and_payloads_by_id() {
        float[] vector = randomVector(new Random(5));
        ProductPayload payload = payload("Lamp", "Lumen", "Home/Lighting", "19.99", false);
        index.upsert(List.of(record("p1", vector, payload)));

        Map<String, VectorRecord> found = index.get(List.of("p1", "missing"));

        assertThat(found).containsOnlyKeys("p1");
        assertThat(index.get(List.of("p1", "p1"))).containsOnlyKeys("p1"); // named twice, cached or not
        // cosine stores may keep the unit vector (Qdrant does): the direction is what must survive
        assertThat(unit(found.get("p1").vector())).containsExactly(unit(vector), within(1e-5f));
        assertThat(found.get("p1").payload()).isEqualTo(payload);
    }

    @Test
    void should_recommend_by_positive_and_negative_examples_excluding_them() {
        index.upsert(List.of(
                record("liked", axis(0, 1, 0), payload("Liked", "Lumen", "Home/Lighting", "10", true)),
                record("disliked", axis(1, 1, 0), payload("Disliked", "Lumen", "Home/Lighting", "10", true)),
                record("like-liked", axis(0, 1, 0.2f), payload("A", "Lumen", "Home/Lighting", "10", true)),
                record("between", new float[] {0.7f, 0.7f, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0},
                        payload("B", "Lumen", "Home/Lighting", "10", true)),
                record("like-disliked", axis(1, 1, 0.2f), payload("C", "Nordlys", "Home/Lighting", "10", true))));

        List<VectorHit> onlyPositive = index.recommend(List.of("liked"), List.of(), VectorFilter.NONE, 10);
        assertThat(ids(onlyPositive)).doesNotContain("liked").startsWith("like-liked", "between");

        List<VectorHit> withNegative = index.recommend(List.of("liked"), List.of("disliked"), VectorFilter.NONE, 10);
        assertThat(ids(withNegative)).doesNotContain("liked", "disliked").startsWith("like-liked").endsWith("like-disliked");

        assertThat(ids(index.recommend(List.of("liked", "unknown"), List.of(), filter(null, "nordlys", null, null, null), 10)))
                .containsExactly("like-disliked");
        assertThat(index.recommend(List.of("unknown"), List.of("liked"), VectorFilter.NONE, 10)).isEmpty();
    }

    @Test
    void should_keep_records_across_a_restart() {
        index.upsert(randomRecords(50, new Random(6)));
        index.delete(List.of("r10"));

        index = reopen(index);

        assertThat(index.count()).isEqualTo(49);
        assertThat(index.get(List.of("r11", "r10"))).containsOnlyKeys("r11");
        assertThat(index.search(randomVector(new Random(8)), VectorFilter.NONE, 5)).hasSize(5);
    }

    // ---- fixtures ------------------------------------------------------------

    protected static VectorFilter filter(String category, String brand, String min, String max, Boolean inStock) {
        return new VectorFilter(category, brand, min == null ? null : new BigDecimal(min),
                max == null ? null : new BigDecimal(max), inStock, Set.of());
    }

    protected static ProductPayload payload(String title, String brand, String path, String price, boolean inStock) {
        return new ProductPayload(title, brand, List.of(path.split("/")), List.of("tag-" + title.toLowerCase()),
                new BigDecimal(price), "USD", "https://img.example/" + title + ".jpg", inStock, "hash-" + title);
    }

    protected static VectorRecord record(String id, float[] vector, ProductPayload payload) {
        return new VectorRecord(id, vector, payload);
    }

    /** A vector mostly along {@code axis}, tilted by {@code tilt} toward the last dimension. */
    protected static float[] axis(int axis, float weight, float tilt) {
        float[] v = new float[DIMENSION];
        v[axis] = weight;
        v[DIMENSION - 1] = tilt;
        return v;
    }

    protected static float[] randomVector(Random random) {
        float[] v = new float[DIMENSION];
        for (int i = 0; i < DIMENSION; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return v;
    }

    protected static List<VectorRecord> randomRecords(int count, Random random) {
        List<VectorRecord> records = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            records.add(record("r" + i, randomVector(random), payload("T" + i, "Brand" + (i % 7), "Home/Cat" + (i % 5),
                    String.valueOf(10 + i), i % 2 == 0)));
        }
        return records;
    }

    private static List<String> ids(List<VectorHit> hits) {
        return hits.stream().map(VectorHit::id).toList();
    }

    private static float[] unit(float[] v) {
        double norm = Math.sqrt(cosineDot(v, v));
        float[] u = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            u[i] = (float) (v[i] / norm);
        }
        return u;
    }

    private static double cosineDot(float[] a, float[] b) {
        double dot = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
        }
        return dot;
    }

    private static double cosine(float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }
}

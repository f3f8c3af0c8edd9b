package io.tastemaker.recommend.neighbours;

import io.tastemaker.recommend.sources.Neighbours;
import io.tastemaker.vectors.LuceneVectorIndex;
import io.tastemaker.vectors.ProductPayload;
import io.tastemaker.vectors.VectorMath;
import io.tastemaker.vectors.VectorRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The neighbour table against exact nearest neighbours computed by brute force over a small
 * collection (small enough that the approximate index finds every true neighbour).
 */
class NeighbourTableTest {

    private static final int DIM = 16;
    private static final int DEPTH = 10;

    @TempDir
    Path dir;
    private LuceneVectorIndex index;
    private final Map<String, float[]> vectors = new HashMap<>();
    private final Random random = new Random(7);

    @BeforeEach
    void collection() {
        index = LuceneVectorIndex.open(dir);
        List<VectorRecord> records = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            float[] v = randomUnit();
            vectors.put("p-" + i, v);
            records.add(record("p-" + i, v));
        }
        index.upsert(records); // one write: the index commits per call
    }

    @AfterEach
    void close() {
        index.close();
    }

    @Test
    void each_list_holds_the_products_nearest_neighbours_best_first_without_itself() {
        NeighbourTable table = new NeighbourTable(index, DEPTH);
        table.compute(vectors);

        assertThat(table.size()).isEqualTo(200);
        for (String id : List.of("p-0", "p-17", "p-199")) {
            Neighbours list = table.of(id, DEPTH);
            assertThat(Arrays.asList(list.ids())).as("neighbours of %s", id).containsExactlyElementsOf(exactNearest(id, DEPTH));
            for (int i = 1; i < list.size(); i++) {
                assertThat(list.scores()[i]).isLessThanOrEqualTo(list.scores()[i - 1]);
            }
        }
        assertThat(table.of("p-0", DEPTH + 1)).as("deeper than kept: searched instead").isNull();
        assertThat(table.of("unknown", 5)).isNull();
    }

    @Test
    void a_new_product_gets_its_own_list_and_joins_the_lists_it_now_belongs_to() {
        NeighbourTable table = new NeighbourTable(index, DEPTH);
        table.compute(vectors);
        float[] nearP5 = vectors.get("p-5").clone();
        nearP5[0] += 0.01f;
        normalize(nearP5);
        add("twin-of-p-5", nearP5);

        table.changed(Map.of("twin-of-p-5", nearP5));

        assertThat(table.of("twin-of-p-5", DEPTH).ids()).containsExactlyElementsOf(exactNearest("twin-of-p-5", DEPTH));
        Neighbours ofP5 = table.of("p-5", DEPTH);
        assertThat(ofP5.ids()[0]).as("its twin is now p-5's nearest").isEqualTo("twin-of-p-5");
        assertThat(Arrays.asList(ofP5.ids())).as("still the nearest %d", DEPTH)
                .containsExactlyElementsOf(exactNearest("p-5", DEPTH));
        for (String id : exactNearest("twin-of-p-5", DEPTH)) {
            boolean belongs = exactNearest(id, DEPTH).contains("twin-of-p-5");
            assertThat(Arrays.asList(table.of(id, DEPTH).ids()).contains("twin-of-p-5"))
                    .as("%s's list has the new product exactly when it is among %s's nearest", id, id).isEqualTo(belongs);
        }
    }

    @Test
    void a_moved_product_leaves_its_old_place_in_the_lists_it_joins_again() {
        NeighbourTable table = new NeighbourTable(index, DEPTH);
        table.compute(vectors);
        String moved = exactNearest("p-9", DEPTH).get(DEPTH - 1); // p-9's last neighbour moves right next to it
        float[] nextToP9 = vectors.get("p-9").clone();
        nextToP9[1] += 0.01f;
        normalize(nextToP9);
        add(moved, nextToP9);

        table.changed(Map.of(moved, nextToP9));

        List<String> ofP9 = Arrays.asList(table.of("p-9", DEPTH).ids());
        assertThat(ofP9.get(0)).isEqualTo(moved);
        assertThat(ofP9).as("listed once").doesNotHaveDuplicates().hasSize(DEPTH);
    }

    @Test
    void a_deleted_product_is_left_out_and_a_list_it_shortened_below_the_ask_is_searched_instead() {
        NeighbourTable table = new NeighbourTable(index, DEPTH);
        table.compute(vectors);
        String gone = exactNearest("p-3", DEPTH).get(0);
        index.delete(List.of(gone));

        table.removed(List.of(gone));

        assertThat(table.of(gone, 1)).isNull();
        assertThat(table.of("p-3", DEPTH - 1).ids()).doesNotContain(gone).hasSize(DEPTH - 1);
        assertThat(table.of("p-3", DEPTH)).as("one short of the ask while more products exist").isNull();
    }

    private List<String> exactNearest(String id, int k) {
        float[] query = vectors.get(id);
        return vectors.entrySet().stream().filter(e -> !e.getKey().equals(id))
                .sorted(Comparator.comparingDouble((Map.Entry<String, float[]> e) -> -VectorMath.dot(query, e.getValue()))
                        .thenComparing(Map.Entry::getKey))
                .limit(k).map(Map.Entry::getKey).toList();
    }

    private void add(String id, float[] vector) {
        vectors.put(id, vector);
        index.upsert(List.of(record(id, vector)));
    }

    private static VectorRecord record(String id, float[] vector) {
        return new VectorRecord(id, vector, new ProductPayload("t", "b", List.of("c"), List.of(), BigDecimal.ONE, "USD",
                null, true, "h"));
    }

    private float[] randomUnit() {
        float[] v = new float[DIM];
        for (int i = 0; i < DIM; i++) {
            v[i] = (float) random.nextGaussian();
        }
        normalize(v);
        return v;
    }

    private static void normalize(float[] v) {
        double norm = VectorMath.norm(v);
        for (int i = 0; i < v.length; i++) {
            v[i] /= (float) norm;
        }
    }
}

package io.tastemaker.recommend.neighbours;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tastemaker.embedding.ActiveModel;
import io.tastemaker.embedding.VectorsChanged;
import io.tastemaker.recommend.sources.NeighbourLists;
import io.tastemaker.vectors.ForwardingVectorIndex;
import io.tastemaker.vectors.LuceneVectorIndex;
import io.tastemaker.vectors.ProductPayload;
import io.tastemaker.vectors.VectorIndex;
import io.tastemaker.vectors.VectorRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When the lists are walked again: a store only this process writes is rebuilt at a refresh only
 * if its vectors changed since the last build; a store other processes may write is rebuilt at
 * every refresh, since their writes never reach this process's updates.
 */
class NeighbourRefreshTest {

    /** Every look-up finds the lists older than the refresh. */
    private static final Duration REFRESH = Duration.ofNanos(1);

    @TempDir
    Path dir;
    private LuceneVectorIndex lucene;
    private SimpleMeterRegistry registry;
    private PrecomputedNeighbours neighbours;

    @BeforeEach
    void collection() {
        lucene = LuceneVectorIndex.open(dir);
        List<VectorRecord> records = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            records.add(record("p-" + i, new float[]{1, i, i % 3}));
        }
        lucene.upsert(records);
        registry = new SimpleMeterRegistry();
        neighbours = new PrecomputedNeighbours(new Config(), null, registry);
    }

    @AfterEach
    void close() {
        neighbours.close();
        lucene.close();
    }

    @Test
    void a_store_written_only_here_is_not_walked_again_until_its_vectors_change() throws Exception {
        ActiveModel.Serving serving = new ActiveModel.Serving("v1", null, lucene);
        NeighbourLists lists = neighbours.of(serving);
        neighbours.awaitWorker();
        assertThat(builds()).as("the first build").isEqualTo(1);

        lookUpAfterRefresh(lists);
        assertThat(builds()).as("nothing changed: no rebuild").isEqualTo(1);

        neighbours.onVectorsChanged(new VectorsChanged(serving, Map.of("p-3", new float[]{1, 9, 0}), List.of()));
        neighbours.awaitWorker(); // the update applied
        lookUpAfterRefresh(lists);
        assertThat(builds()).as("a product re-embedded: rebuilt at the refresh").isEqualTo(2);

        lookUpAfterRefresh(lists);
        assertThat(builds()).as("unchanged since that rebuild").isEqualTo(2);
    }

    @Test
    void a_store_other_processes_may_write_is_walked_again_at_every_refresh() throws Exception {
        NeighbourLists lists = neighbours.of(new ActiveModel.Serving("v1", null, new Shared(lucene)));
        neighbours.awaitWorker();
        assertThat(builds()).isEqualTo(1);

        lookUpAfterRefresh(lists);
        lookUpAfterRefresh(lists);
        assertThat(builds()).as("no change seen here, but another process may have written").isEqualTo(3);
    }

    private void lookUpAfterRefresh(NeighbourLists lists) throws Exception {
        Thread.sleep(2); // REFRESH has passed
        assertThat(lists.of("p-1", 3)).as("the kept list").isNotNull();
        neighbours.awaitWorker();
    }

    private double builds() {
        return registry.get("tastemaker.neighbours.builds").counter().count();
    }

    private static VectorRecord record(String id, float[] vector) {
        return new VectorRecord(id, vector, new ProductPayload(id, "Lumo", List.of("Home"), List.of(), BigDecimal.TEN, "USD",
                null, true, "h"));
    }

    private static final class Config implements NeighboursConfig {
        @Override
        public boolean enabled() {
            return true;
        }

        @Override
        public int depth() {
            return 5;
        }

        @Override
        public int maxProducts() {
            return 1_000;
        }

        @Override
        public Duration refresh() {
            return REFRESH;
        }
    }

    /** The same collection as a store of the kind several processes share (Qdrant). */
    private static final class Shared extends ForwardingVectorIndex {

        Shared(VectorIndex index) {
            super(index);
        }

        @Override
        public boolean writtenOnlyHere() {
            return false;
        }
    }
}

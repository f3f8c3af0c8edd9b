package io.tastemaker.vectors;

import org.apache.lucene.index.ConcurrentMergeScheduler;
import org.apache.lucene.index.MergePolicy;
import org.apache.lucene.index.TieredMergePolicy;

import java.io.IOException;

/** How {@link LuceneVectorIndex} merges its segments: few of them, searchable as soon as merged. */
final class SegmentMerges {

    private SegmentMerges() {
    }

    /**
     * Every segment has its own HNSW graph and a k-NN query searches each for k: eleven segments
     * of a 20,000-product index made every search six times slower than one (measured with
     * RawIndexSearchBenchmark, k = 100). Small segments (below the floor) are merged together
     * eagerly, so the few large ones carry the catalogue; merging a large segment whose products
     * changed rebuilds its graph, which this leaves to the policy's deletion threshold.
     */
    static TieredMergePolicy fewSegments() {
        TieredMergePolicy policy = new TieredMergePolicy();
        policy.setSegmentsPerTier(3);
        policy.setFloorSegmentMB(32);
        return policy;
    }

    /**
     * Merges in the background as Lucene does by default, and lets searches use a merged segment as
     * soon as it exists rather than at the next write (a bulk load's last merges may come long after
     * its last write).
     */
    static final class Visible extends ConcurrentMergeScheduler {

        private volatile Runnable afterEach = () -> {
        };

        void afterEach(Runnable action) {
            this.afterEach = action;
        }

        @Override
        protected void doMerge(MergeSource source, MergePolicy.OneMerge merge) throws IOException {
            super.doMerge(source, merge);
            afterEach.run();
        }
    }
}

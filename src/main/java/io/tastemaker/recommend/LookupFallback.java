package io.tastemaker.recommend;

import io.tastemaker.resilience.RequestBudget;
import io.tastemaker.vectors.ProductPayload;
import io.tastemaker.vectors.VectorFilter;
import io.tastemaker.vectors.VectorHit;
import io.tastemaker.vectors.VectorIndex;
import io.tastemaker.vectors.VectorRecord;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The index as the ranking looks candidates up in it during a request: when the vector store
 * cannot answer (down, or out of time), every asked product comes back as a stand-in with only
 * its id ({@link ProductPayload#UNKNOWN}, no vector), so what co-engagement and trending found
 * is still shown, undiversified, while a request that filters on product fields drops them (they
 * cannot be checked). The answer is marked degraded {@code "vectors"}. Outside a request
 * (previews, evaluation) failures propagate.
 */
final class LookupFallback implements VectorIndex {

    static final String DEGRADED = io.tastemaker.recommend.sources.Sources.VECTORS;

    private final VectorIndex index;

    LookupFallback(VectorIndex index) {
        this.index = index;
    }

    @Override
    public Map<String, VectorRecord> get(Collection<String> ids) {
        try {
            return index.get(ids);
        } catch (RuntimeException e) {
            RequestBudget budget = RequestBudget.current();
            if (!budget.active()) {
                throw e;
            }
            budget.degrade(DEGRADED);
            Map<String, VectorRecord> standIns = new HashMap<>();
            ids.forEach(id -> standIns.put(id, new VectorRecord(id, null, ProductPayload.UNKNOWN)));
            return standIns;
        }
    }

    @Override
    public void upsert(List<VectorRecord> records) {
        index.upsert(records);
    }

    @Override
    public void delete(Collection<String> ids) {
        index.delete(ids);
    }

    @Override
    public List<VectorHit> search(float[] query, VectorFilter filter, int limit) {
        return index.search(query, filter, limit);
    }

    @Override
    public List<VectorHit> recommend(Collection<String> positiveIds, Collection<String> negativeIds,
                                     VectorFilter filter, int limit) {
        return index.recommend(positiveIds, negativeIds, filter, limit);
    }

    @Override
    public long count() {
        return index.count();
    }

    @Override
    public void close() {
        // the index belongs to its store
    }
}

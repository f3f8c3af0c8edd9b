package io.tastemaker.recommend;

import io.tastemaker.resilience.RequestBudget;
import io.tastemaker.vectors.ForwardingVectorIndex;
import io.tastemaker.vectors.ProductPayload;
import io.tastemaker.vectors.VectorIndex;
import io.tastemaker.vectors.VectorRecord;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * The index as the ranking looks candidates up in it during a request: when the vector store
 * cannot answer (down, or out of time), every asked product comes back as a stand-in with only
 * its id ({@link ProductPayload#UNKNOWN}, no vector), so what co-engagement and trending found
 * is still shown, undiversified, while a request that filters on product fields drops them (they
 * cannot be checked). The answer is marked degraded {@code "vectors"}. Outside a request
 * (previews, evaluation) failures propagate.
 */
final class LookupFallback extends ForwardingVectorIndex {

    static final String DEGRADED = io.tastemaker.recommend.sources.Sources.VECTORS;

    LookupFallback(VectorIndex index) {
        super(index);
    }

    @Override
    public Map<String, VectorRecord> get(Collection<String> ids) {
        try {
            return super.get(ids);
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
}

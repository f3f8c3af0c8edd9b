package io.tastemaker.vectors;


import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A store that hands every call to another, for a wrapper that changes one call (the ranking's
 * look-up fallback) or a test that watches one. Closing it leaves the other open: the other
 * belongs to its store.
 */
public class ForwardingVectorIndex implements VectorIndex {

    private final VectorIndex index;

    public ForwardingVectorIndex(VectorIndex index) {
        this.index = index;
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
    public Map<String, VectorRecord> get(Collection<String> ids) {
        return index.get(ids);
    }

    @Override
    public long count() {
        return index.count();
    }

    @Override
    public Optional<List<String>> idsAfter(String afterId, int limit) {
        return index.idsAfter(afterId, limit);
    }

    @Override
    public boolean writtenOnlyHere() {
        return index.writtenOnlyHere();
    }

    @Override
    public void compact() {
        index.compact();
    }

    @Override
    public void close() {
        // the wrapped index belongs to its store
    }
}

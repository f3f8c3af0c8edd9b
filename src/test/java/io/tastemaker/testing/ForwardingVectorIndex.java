package io.tastemaker.testing;

import io.tastemaker.vectors.VectorFilter;
import io.tastemaker.vectors.VectorHit;
import io.tastemaker.vectors.VectorIndex;
import io.tastemaker.vectors.VectorRecord;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A store that hands every call to another: a test overrides the one call it watches or changes.
 * Closing it leaves the other open (the test closes its own index).
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
    }
}

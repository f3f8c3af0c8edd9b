package io.tastemaker.embedding;

import io.tastemaker.vectors.VectorFilter;
import io.tastemaker.vectors.VectorHit;
import io.tastemaker.vectors.VectorIndex;
import io.tastemaker.vectors.VectorRecord;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The collection of the model serving now, whichever that is: every call goes to the collection
 * of {@link ActiveModel#serving()}, so a promotion switches every reader at once. Code that
 * embeds and then searches in one request takes the {@link ActiveModel.Serving} snapshot
 * instead, so both steps use the same model.
 */
final class ServingIndex implements VectorIndex {

    private final ActiveModel model;

    ServingIndex(ActiveModel model) {
        this.model = model;
    }

    private VectorIndex current() {
        return model.serving().index();
    }

    @Override
    public void upsert(List<VectorRecord> records) {
        current().upsert(records);
    }

    @Override
    public void delete(Collection<String> ids) {
        current().delete(ids);
    }

    @Override
    public List<VectorHit> search(float[] query, VectorFilter filter, int limit) {
        return current().search(query, filter, limit);
    }

    @Override
    public List<VectorHit> recommend(Collection<String> positiveIds, Collection<String> negativeIds, VectorFilter filter,
                                     int limit) {
        return current().recommend(positiveIds, negativeIds, filter, limit);
    }

    @Override
    public Map<String, VectorRecord> get(Collection<String> ids) {
        return current().get(ids);
    }

    @Override
    public long count() {
        return current().count();
    }

    @Override
    public boolean writtenOnlyHere() {
        return current().writtenOnlyHere();
    }

    @Override
    public Optional<List<String>> idsAfter(String afterId, int limit) {
        return current().idsAfter(afterId, limit);
    }

    /** The collections belong to the store, which closes them. */
    @Override
    public void close() {
    }
}

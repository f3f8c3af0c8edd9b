package io.tastemaker.vectors;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The port to a vector store holding one vector and one payload per product. Writes are
 * durable when they return; searches see every write that returned before they started.
 * Adapters: {@link LuceneVectorIndex} (embedded); every adapter passes the same contract suite.
 */
public interface VectorIndex extends AutoCloseable {

    /** Inserts or replaces records by id. */
    void upsert(List<VectorRecord> records);

    /** Removes these ids; unknown ids are ignored. */
    void delete(Collection<String> ids);

    /** The {@code limit} nearest products by cosine similarity that match {@code filter}, best first. */
    List<VectorHit> search(float[] query, VectorFilter filter, int limit);

    /**
     * Products like the {@code positiveIds} and unlike the {@code negativeIds}, best first, the
     * examples themselves excluded. The query is the "average vector" strategy: the mean of the
     * positives, pushed away from the mean of the negatives ({@code 2·avg(pos) − avg(neg)}).
     * Unknown example ids are ignored; with no known positive the answer is empty.
     */
    List<VectorHit> recommend(Collection<String> positiveIds, Collection<String> negativeIds, VectorFilter filter,
                              int limit);

    /** The stored records of those ids that exist. */
    Map<String, VectorRecord> get(Collection<String> ids);

    long count();

    /**
     * Up to {@code limit} ids of stored products after {@code afterId} (from the first when null),
     * in id order: for background jobs that walk the whole collection. Empty when this store cannot
     * list its ids; such a job walks the catalog instead.
     */
    default Optional<List<String>> idsAfter(String afterId, int limit) {
        return Optional.empty();
    }

    /**
     * True when no other process writes this store (the embedded Lucene index: its directory's
     * write lock admits one writer), so every change to it passes through this process and its
     * {@code VectorsChanged}: what is derived from the vectors needs no periodic re-read to catch
     * other processes' writes.
     */
    default boolean writtenOnlyHere() {
        return false;
    }

    /**
     * After a bulk load: lets the store reorganise what it wrote in many small steps so searches
     * are fast (Lucene merges its segments). A store that optimises on its own ignores it.
     */
    default void compact() {
    }

    @Override
    void close();
}

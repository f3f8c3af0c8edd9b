package io.tastemaker.vectors;

import java.util.Collection;
import java.util.List;
import java.util.Map;

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

    /** The stored records of those ids that exist. */
    Map<String, VectorRecord> get(Collection<String> ids);

    long count();

    @Override
    void close();
}

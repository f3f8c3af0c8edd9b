package io.tastemaker.vectors;

import java.util.Optional;
import java.util.Set;

/**
 * The port to a vector store as a whole: named collections (one per embedding-model version)
 * and aliases over them (the collection serving now), switched atomically so readers never see
 * a half-built collection. Adapters: {@link LuceneVectorStore} (embedded) and
 * {@link QdrantVectorStore}; both pass the same contract suite.
 */
public interface VectorStore extends AutoCloseable {

    /** The collection, created for vectors of {@code dimension} if it does not exist yet. */
    VectorIndex collection(String name, int dimension);

    /** Points {@code alias} at {@code collection} in one step, creating the alias if needed. */
    void pointAlias(String alias, String collection);

    /** The collection an alias points at, if the alias exists. */
    Optional<String> aliasTarget(String alias);

    Set<String> collections();

    /** Removes a collection and its vectors; an alias pointing at it is removed too. */
    void drop(String collection);

    /** Whether the store answers; for readiness. */
    boolean healthy();

    @Override
    void close();
}

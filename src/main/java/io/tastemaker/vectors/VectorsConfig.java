package io.tastemaker.vectors;

import io.tastemaker.runtime.BreakerConfig;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

/** Which vector store holds the product vectors, and how to reach Qdrant. */
@ConfigMapping(prefix = "tastemaker.vectors")
public interface VectorsConfig {

    /** {@code embedded} (Lucene HNSW under the data directory) or {@code qdrant}. */
    @WithDefault("embedded")
    String backend();

    /** The alias naming the collection that serves now. */
    @WithDefault("products")
    String alias();

    Qdrant qdrant();

    interface Qdrant {
        @WithDefault("localhost")
        String host();

        /** The gRPC port. */
        @WithDefault("6334")
        int port();

        Optional<String> apiKey();

        @WithDefault("false")
        boolean tls();

        /**
         * Per call; a call that takes longer fails and, if transient, is retried. A call made for
         * a storefront list is cut to the list's deadline instead and never retried.
         */
        @WithDefault("5s")
        Duration timeout();

        /** Attempts after the first on UNAVAILABLE, DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED or ABORTED. */
        @WithDefault("3")
        int retries();

        @WithDefault("200ms")
        Duration retryBackoff();

        /** Points per upsert request; a larger write is split and sent in parallel. */
        @WithDefault("256")
        int upsertBatchSize();

        @WithDefault("4")
        int upsertParallelism();

        /** For new collections. */
        @WithDefault("1")
        int shards();

        @WithDefault("1")
        int replicas();

        /** Skips Qdrant on the request path while it fails (lists fall back to co-engagement and trending). */
        BreakerConfig breaker();
    }

}

package io.tastemaker.vectors;

import java.time.Duration;
import java.util.Optional;

/** Qdrant settings for tests: small batches so batching shows, quick back-off. */
record QdrantTestConfig(String host, int port, int upsertBatchSize) implements VectorsConfig.Qdrant {

    static QdrantTestConfig inProcess() {
        return new QdrantTestConfig("in-process", 0, 16);
    }

    public Optional<String> apiKey() {
        return Optional.empty();
    }

    public boolean tls() {
        return false;
    }

    public Duration timeout() {
        return Duration.ofSeconds(5);
    }

    public int retries() {
        return 3;
    }

    public Duration retryBackoff() {
        return Duration.ofMillis(10);
    }

    public int upsertParallelism() {
        return 4;
    }

    public int shards() {
        return 1;
    }

    public int replicas() {
        return 1;
    }
}

package io.tastemaker.vectors;

import java.time.Duration;
import java.util.Optional;

/** Qdrant settings for tests and benchmarks: batches and timeouts as given, quick back-off. */
public record QdrantTestConfig(String host, int port, int upsertBatchSize, Duration timeout)
        implements VectorsConfig.Qdrant {

    /** Small batches, so that batching shows. */
    static QdrantTestConfig inProcess() {
        return new QdrantTestConfig("in-process", 0, 16, Duration.ofSeconds(5));
    }

    public Optional<String> apiKey() {
        return Optional.empty();
    }

    public boolean tls() {
        return false;
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

    /** The defaults: opens after 5 calls of which half failed, tries again after a second. */
    public io.tastemaker.runtime.BreakerConfig breaker() {
        return new io.tastemaker.runtime.BreakerConfig() {
            public int window() {
                return 20;
            }

            public int minimumCalls() {
                return 5;
            }

            public double failureRatio() {
                return 0.5;
            }

            public Duration openFor() {
                return Duration.ofSeconds(1);
            }
        };
    }
}

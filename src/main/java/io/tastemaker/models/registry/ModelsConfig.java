package io.tastemaker.models.registry;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** How model versions are built and switched. */
@ConfigMapping(prefix = "tastemaker.models")
public interface ModelsConfig {

    /**
     * Share of the time an index build may embed: after each batch that took t, the build sleeps
     * t × (1 − share) / share, so serving keeps the rest of the CPU. 1 = as fast as possible.
     */
    @WithDefault("0.5")
    double buildShare();

    /** Products per embedding call and per progress record of an index build. */
    @WithDefault("64")
    int buildBatchSize();

    /**
     * How long an index build's owner may stay silent (it reports after every batch) before
     * another ingest instance takes the build over: the failover time after a crash.
     */
    @WithDefault("60s")
    Duration buildLease();

    /**
     * How long the instance running an evaluation job may stay silent (it renews its hold every
     * poll) before another instance takes the job over and runs it again: the failover time after a crash.
     */
    @WithDefault("60s")
    Duration evaluationLease();

    /** How often every instance checks the registry for a promotion or a new version to maintain. */
    @WithDefault("1s")
    Duration pollInterval();

    /**
     * The only directory model files (ONNX models, tokenizers, adapters) are read from and
     * fine-tuned adapters are written to; default {@code <tastemaker.data-dir>/models}.
     */
    Optional<Path> directory();

    /**
     * Catalog changes a version other than the serving one may have waiting while its model is
     * slow or failing; beyond this the version is marked failed and must be indexed again.
     */
    @WithDefault("50000")
    int followBacklog();

    Remote remote();

    /** Remote (OpenAI-compatible) embedding endpoints. */
    interface Remote {

        /**
         * Hosts a remote model's {@code baseUrl} may name: {@code host} (any port) or
         * {@code host:port}, compared as written (never by the address they resolve to).
         * Empty: remote models are refused.
         */
        Optional<List<String>> allowedHosts();

        /** A remote model's {@code apiKeyEnv} must name a variable starting with this. */
        @WithDefault("TASTEMAKER_MODEL_KEY_")
        String apiKeyEnvPrefix();

        /** Longest wait for one embeddings call (connect and answer); it is retried twice. */
        @WithDefault("30s")
        Duration timeout();
    }
}

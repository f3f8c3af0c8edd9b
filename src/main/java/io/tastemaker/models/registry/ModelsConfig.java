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

    Gate gate();

    /**
     * The evaluation gate ({@code io.tastemaker.models.gate}): the time split it judges on (which
     * a fine-tune's default training cut-off shares) and how many shoppers it reads.
     */
    interface Gate {

        /** Share of the shoppers' engagement (events) after the cut-off: half chooses weights, half scores. */
        @WithDefault("0.2")
        double recentShare();

        /** Instead of a share: the cut-off this long before the latest engagement (e.g. {@code 14d}). */
        Optional<Duration> recentSpan();

        /** The most recently active shoppers scored (each gives at most one validation and one test case). */
        @WithDefault("3000")
        int shoppers();

        /** The most recently active shoppers whose engagement before the cut-off rebuilds co-engagement and trending. */
        @WithDefault("200000")
        int engagementShoppers();

        /** At most this many validation cases choose the weights (the search fuses each case about 60 times). */
        @WithDefault("3000")
        int searchShoppers();

        /** Below this many test cases the gate does not judge (and does not refuse a promotion). */
        @WithDefault("20")
        int minShoppers();

        default io.tastemaker.models.gate.TimeSplit split() {
            return new io.tastemaker.models.gate.TimeSplit(recentShare(), recentSpan());
        }
    }

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

package io.tastemaker.models;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

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

    /** How often every instance checks the registry for a promotion or a new version to maintain. */
    @WithDefault("1s")
    Duration pollInterval();
}

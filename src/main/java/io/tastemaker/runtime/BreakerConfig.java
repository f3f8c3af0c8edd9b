package io.tastemaker.runtime;

import io.smallrye.config.WithDefault;

import java.time.Duration;

/**
 * The settings of a dependency's circuit breaker (PostgreSQL reads, Qdrant): it opens when at least
 * {@code minimum-calls} of the last {@code window} calls were made and {@code failure-ratio} of them
 * failed, and skips calls for {@code open-for} before one trial call checks whether it is back.
 */
public interface BreakerConfig {

    @WithDefault("20")
    int window();

    @WithDefault("5")
    int minimumCalls();

    @WithDefault("0.5")
    double failureRatio();

    @WithDefault("2s")
    Duration openFor();
}

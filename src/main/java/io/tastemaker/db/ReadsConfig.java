package io.tastemaker.db;

import io.tastemaker.runtime.BreakerConfig;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/**
 * How the request path reads PostgreSQL (profiles, co-engagement, trending): the longest wait of
 * a read outside a request's deadline (a cache's background refresh) and the circuit breaker
 * that skips PostgreSQL while it fails.
 */
@ConfigMapping(prefix = "tastemaker.database.reads")
public interface ReadsConfig {

    /** A background refresh's longest wait; a request's reads wait at most what is left of its deadline. */
    @WithDefault("2s")
    Duration timeout();

    BreakerConfig breaker();

}

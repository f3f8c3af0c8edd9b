package io.tastemaker.profiles;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/**
 * How the API caches taste profiles. The keys stay under {@code tastemaker.engagement} (where
 * operators have always set them) though profiles own them; the rest of that prefix is
 * {@code EngagementConfig}'s.
 */
@ConfigMapping(prefix = "tastemaker.engagement")
public interface ProfilesConfig {

    /** How long the API may serve a profile read from PostgreSQL before reading it again. */
    @WithDefault("500ms")
    Duration profileCacheTtl();

    /**
     * How long after its last read a profile is kept to be served when PostgreSQL cannot be read
     * (a shopper browsing through an outage keeps their feed); memory grows with the shoppers
     * active over this time.
     */
    @WithDefault("1m")
    Duration profileCacheStaleFor();

    @WithDefault("100000")
    long profileCacheSize();
}

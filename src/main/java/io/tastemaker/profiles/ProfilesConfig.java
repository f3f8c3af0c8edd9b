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

    @WithDefault("100000")
    long profileCacheSize();
}

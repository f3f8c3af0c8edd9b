package io.tastemaker.profiles;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/**
 * How the API keeps taste profiles in memory. The keys stay under {@code tastemaker.engagement}
 * (where operators have always set them) though profiles own them; the rest of that prefix is
 * {@code EngagementConfig}'s.
 */
@ConfigMapping(prefix = "tastemaker.engagement")
public interface ProfilesConfig {

    /**
     * How long after a shopper's last request their profile stays in memory (kept current by the
     * engagement changes, and served as it was while PostgreSQL cannot be read): memory grows with
     * the shoppers active over this time, up to {@link #profileCacheSize()}.
     */
    @WithDefault("30m")
    Duration profileCacheIdle();

    /** Profiles kept in memory at most (a profile of a few dozen engagements is a few kilobytes). */
    @WithDefault("100000")
    long profileCacheSize();

    /**
     * Profiles a serving process reads when it starts (and after a rebuild), of the shoppers who
     * engaged most recently; at most {@link #profileCacheSize()}, 0 for none.
     */
    @WithDefault("100000")
    long profileCacheWarm();
}

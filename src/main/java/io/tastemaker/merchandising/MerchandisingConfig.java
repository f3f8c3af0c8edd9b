package io.tastemaker.merchandising;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** How merchandising rules reach every instance. */
@ConfigMapping(prefix = "tastemaker.merchandising")
public interface MerchandisingConfig {

    /**
     * How often each instance asks PostgreSQL whether rules changed (one primary-key read); a
     * change made on any instance is in use everywhere about this long after its commit.
     */
    @WithDefault("250ms")
    Duration pollInterval();
}

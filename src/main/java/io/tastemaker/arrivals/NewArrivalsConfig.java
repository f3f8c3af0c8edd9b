package io.tastemaker.arrivals;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** The shelf of new arrivals that fills a list the other sources leave empty or short. */
@ConfigMapping(prefix = "tastemaker.new-arrivals")
public interface NewArrivalsConfig {

    /** How often the shelf is read again from the catalogue (and resolved in the index). */
    @WithDefault("15s")
    Duration refreshInterval();

    /** The newest products kept per category path, so every category has some. */
    @WithDefault("20")
    int perCategory();

    /** The shelf's size at most. */
    @WithDefault("5000")
    int max();
}

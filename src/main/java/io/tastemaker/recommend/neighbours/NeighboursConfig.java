package io.tastemaker.recommend.neighbours;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** The neighbour lists kept ahead of requests ({@link PrecomputedNeighbours}). */
@ConfigMapping(prefix = "tastemaker.neighbours")
public interface NeighboursConfig {

    /** Off: every anchor is searched when first asked for and cached for ten minutes. */
    @WithDefault("true")
    boolean enabled();

    /**
     * Neighbours kept per product: what the feed's item-to-item step asks for (100 candidates and
     * 50 spare for the shopper's exclusions); a deeper ask is searched.
     */
    @WithDefault("150")
    int depth();

    /**
     * Products whose lists are kept, in id order (about 1.3 KB each at depth 150, so 200,000 take
     * about 260 MB of heap); the rest are searched when asked for.
     */
    @WithDefault("200000")
    int maxProducts();

    /**
     * How old the lists may grow before they are computed again in the background. Changes this
     * instance embeds update them at once; this bounds how long another instance's changes (an
     * API instance beside a separate ingest process) take to reach them. A store only this process
     * writes (the embedded index) is computed again only if its vectors changed since.
     */
    @WithDefault("PT1H")
    Duration refresh();
}

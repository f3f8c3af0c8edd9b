package io.tastemaker.recommend.sources;

import java.util.Arrays;
import java.util.Optional;

/** Where a candidate came from; {@link #key()} is how config, overrides and reasons name it. */
public enum Source {
    /** Nearest neighbours of the shopper's taste profile. */
    PROFILE("profile"),
    /** Nearest neighbours of the shopper's words (search, assistant). */
    QUERY("query"),
    /** Nearest neighbours of anchor products: the one on screen, or the shopper's recent items. */
    SIMILAR("similar"),
    /** What shoppers engaged with next after the anchor products. */
    CO_ENGAGEMENT("coEngagement"),
    /** What shoppers whose recent items overlap the shopper's engaged with ("shoppers like you"). */
    LIKE_MINDED("likeMinded"),
    /** What is popular now. */
    TRENDING("trending"),
    /**
     * The catalogue's new arrivals, in stock first, spread over categories: what fills a list the
     * other sources leave empty or short (a shop with no engagement yet, a new shopper).
     */
    FRESH("fresh");

    private final String key;

    Source(String key) {
        this.key = key;
    }

    public String key() {
        return key;
    }

    public static Optional<Source> byKey(String key) {
        return Arrays.stream(values()).filter(s -> s.key.equalsIgnoreCase(key)).findFirst();
    }
}

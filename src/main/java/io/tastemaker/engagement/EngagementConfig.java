package io.tastemaker.engagement;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** How engagement is taken in and what it weighs (the profile caches are {@code ProfilesConfig}'s, same prefix). */
@ConfigMapping(prefix = "tastemaker.engagement")
public interface EngagementConfig {

    /** Events per {@code POST /v1/events} request. */
    @WithDefault("500")
    int maxEventsPerRequest();

    /** How far ahead of this server's clock an {@code occurredAt} may be (clock skew of storefronts). */
    @WithDefault("5m")
    Duration maxClockSkew();

    /** A retried event (same eventId) within this much log time of the first counts once. */
    @WithDefault("24h")
    Duration dedupeWindow();

    Weights weights();

    /** Defaults the offline evaluation replays with, so it cannot drift from the service. */
    String DEFAULT_PROFILE_HALF_LIFE = "P14D";
    String DEFAULT_CO_ENGAGEMENT_WINDOW = "3";
    String DEFAULT_CO_ENGAGEMENT_STEP_DECAY = "1.0";

    /** Half-life of a taste: an engagement this old counts half as much as one just now. */
    @WithDefault(DEFAULT_PROFILE_HALF_LIFE)
    Duration profileHalfLife();

    @WithDefault("24h")
    Duration trendingHalfLife();

    /**
     * How often every process reads which products' links and which shoppers' profiles the
     * engagement consumers (and erasures) changed elsewhere: the lag of what it keeps in memory.
     */
    @WithDefault("1s")
    Duration changesPoll();

    CoEngagement coEngagement();

    LikeMinded likeMinded();

    Consumer consumer();

    /** Weight of each event type in profiles and trending; negative weights push a taste away. */
    interface Weights {
        @WithDefault("3.0")
        double pin();

        @WithDefault("1.0")
        double click();

        @WithDefault("0.25")
        double view();

        @WithDefault("4.0")
        double addToCart();

        @WithDefault("5.0")
        double purchase();

        @WithDefault("-4.0")
        double hide();

        default double of(EventType type) {
            return switch (type) {
                case PIN -> pin();
                case CLICK -> click();
                case VIEW -> view();
                case ADD_TO_CART -> addToCart();
                case PURCHASE -> purchase();
                case HIDE -> hide();
                // seen is not liked: an impression weighs nothing (the processor skips it anyway)
                case IMPRESSION -> 0.0;
            };
        }
    }

    interface CoEngagement {
        /** An engagement links to the shopper's previous this-many distinct items (and board-mates). */
        @WithDefault(DEFAULT_CO_ENGAGEMENT_WINDOW)
        int window();

        /** Each step further back multiplies the link weight by this; 1.0 keeps raw forward counts. */
        @WithDefault(DEFAULT_CO_ENGAGEMENT_STEP_DECAY)
        double stepDecay();

        /** Products whose links a serving process keeps in memory (about 200 bytes per link kept). */
        @WithDefault("500000")
        long kept();

        /** A kept product's links are also read again this long after they were read, whatever changed. */
        @WithDefault("1h")
        Duration refresh();
    }

    /** The shoppers' recent histories a serving process keeps for "shoppers like you" ({@code ShopperHistoryIndex}). */
    interface LikeMinded {
        /** Shoppers read at start (about 25 bytes per recent item, up to 20 items each); later ones join as they engage. */
        @WithDefault("1000000")
        int kept();
    }

    interface Consumer {
        /**
         * Engagement consumer threads in this instance, each owning some partitions. Two overlap one
         * batch's PostgreSQL round trips with the next one's computation: 1.5x on 2 cores.
         */
        @WithDefault("2")
        int threads();

        @WithDefault("2000")
        int maxBatch();

        @WithDefault("50ms")
        Duration maxWait();
    }
}

package io.tastemaker.engagement;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What is trending, for the request path: the top products by decayed engagement, read from
 * PostgreSQL at most every two seconds (every new shopper's feed asks for it).
 */
@ApplicationScoped
public class TrendingReader {

    /** Deep enough that filtered trending pages (a category, a price range) still fill up. */
    public static final int DEPTH = 1000;

    private final EngagementStore store;
    private final Trending trending;
    private final LoadingCache<Boolean, List<EngagementStore.Ranked>> top;

    TrendingReader(EngagementStore store, EngagementConfig config) {
        this.store = store;
        this.trending = new Trending(config.trendingHalfLife());
        this.top = Caffeine.newBuilder().expireAfterWrite(Duration.ofSeconds(2)).build(k -> store.trendingProducts(DEPTH));
    }

    /** Trending products, best first. Blocks when the cached list expired: call from worker threads. */
    public List<EngagementStore.Ranked> products() {
        return top.get(Boolean.TRUE);
    }

    /** The decayed number of engagements a score stands for today (weights included). */
    public double countNow(EngagementStore.Ranked ranked) {
        return trending.countAt(ranked.logScore(), Instant.now());
    }

    public void forget() {
        top.invalidateAll();
    }
}

package io.tastemaker.engagement;

import io.tastemaker.recommend.sources.Candidate;
import io.tastemaker.catalog.CategoryNames;
import io.tastemaker.recommend.sources.Popularity;
import io.tastemaker.vectors.VectorFilter;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import io.tastemaker.vectors.ProductPayload;
import io.tastemaker.vectors.VectorIndex;
import io.tastemaker.vectors.VectorRecord;
import io.tastemaker.db.DatabaseReads;
import io.tastemaker.resilience.Deadline;
import io.tastemaker.resilience.RequestBudget;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What is trending, for the request path: the top products by decayed engagement with what the
 * index knows of them, read from PostgreSQL and the index at most every two seconds (every new
 * shopper's feed asks for it, so no request pays for the lookups). The list is refreshed in the
 * background and kept as it was when the refresh fails (PostgreSQL or the vector store down):
 * trending over a few minutes barely moves. Only the first read waits, at most what is left of
 * the request's deadline.
 */
@ApplicationScoped
public class TrendingReader implements Popularity {


    /**
     * A trending product as the index shows it, with its log score (see {@link Trending}) and its
     * reason, written once per refresh rather than once per feed.
     */
    public record TrendingProduct(String productId, double logScore, ProductPayload payload, String because) {
    }

    private static final Duration REFRESH_WAIT = Duration.ofSeconds(2);

    private final Trending trending;
    private final LoadingCache<Boolean, List<TrendingProduct>> top;

    TrendingReader(EngagementStore store, VectorIndex index, EngagementConfig config, DatabaseReads reads) {
        this.trending = new Trending(config.trendingHalfLife());
        this.top = Caffeine.newBuilder().refreshAfterWrite(Duration.ofSeconds(2)).executor(reads.refresher())
                .build(new com.github.benmanes.caffeine.cache.CacheLoader<>() {
                    @Override
                    public List<TrendingProduct> load(Boolean key) {
                        return resolve(reads.read(() -> store.trendingProducts(Popularity.MAX_DEPTH)), index);
                    }

                    @Override
                    public List<TrendingProduct> reload(Boolean key, List<TrendingProduct> last) {
                        // the vector store's look-up too is cut short on this refresh thread
                        try (RequestBudget.Scope bound = RequestBudget.bounded(Deadline.in(REFRESH_WAIT)).bind()) {
                            return load(key);
                        } catch (RuntimeException e) {
                            return last;
                        }
                    }
                });
    }

    /** Trending products in the index, best first. Blocks when the cached list expired: call from worker threads. */
    public List<TrendingProduct> products() {
        return top.get(Boolean.TRUE);
    }

    /** The decayed number of engagements a score stands for today (weights included). */
    public double countNow(TrendingProduct product) {
        return trending.countAt(product.logScore(), Instant.now());
    }

    /** Trending products matching {@code filter}, scored by decayed engagement now. */
    @Override
    public List<Candidate> top(VectorFilter filter, int limit) {
        List<Candidate> top = new ArrayList<>(Math.min(limit, Popularity.MAX_DEPTH));
        for (TrendingProduct product : products()) {
            if (top.size() == limit) {
                break;
            }
            if (filter.matches(product.productId(), product.payload())) {
                top.add(new Candidate(product.productId(), countNow(product), product.because()));
            }
        }
        return top;
    }

    public void forget() {
        top.invalidateAll();
    }

    /** Products no longer in the index (deleted, not embedded yet) are left out. */
    private static List<TrendingProduct> resolve(List<EngagementStore.TrendingScore> ranked, VectorIndex index) {
        Map<String, VectorRecord> products = index.get(ranked.stream().map(EngagementStore.TrendingScore::productId).toList());
        List<TrendingProduct> resolved = new ArrayList<>(ranked.size());
        for (EngagementStore.TrendingScore r : ranked) {
            VectorRecord product = products.get(r.productId());
            if (product != null) {
                resolved.add(new TrendingProduct(r.productId(), r.logScore(), product.payload(),
                        "trending in " + CategoryNames.leaf(product.payload().category())));
            }
        }
        return List.copyOf(resolved);
    }
}

package io.tastemaker.engagement;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import io.tastemaker.recommend.sources.Candidate;
import io.tastemaker.recommend.sources.CoEngagementGraph;
import io.tastemaker.db.DatabaseReads;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The co-engagement graph for the request path: each product's strongest outgoing links, read
 * from PostgreSQL in one statement for all missing products of a request and kept a few seconds
 * (the same popular products anchor many shoppers' feeds). A product read more than 5 s ago is
 * served as it is while it is read again in the background, and kept as it was when that fails
 * (stale while PostgreSQL is down: the links of a popular product change slowly); one not asked
 * for in a minute is dropped. Only a product not in memory waits for PostgreSQL, at most what is
 * left of the request's deadline ({@link DatabaseReads}). Blocking: worker threads only.
 */
@ApplicationScoped
public class CoEngagementReader implements CoEngagementGraph {

    /** Links kept per product: enough for a deep page, whatever a request asks for. */
    static final int KEPT = 200;

    private final LoadingCache<String, List<Candidate>> links;

    CoEngagementReader(EngagementStore store, DatabaseReads reads) {
        this.links = Caffeine.newBuilder()
                .maximumSize(100_000)
                .refreshAfterWrite(Duration.ofSeconds(5))
                .expireAfterAccess(Duration.ofMinutes(1))
                .executor(reads.refresher())
                .build(new com.github.benmanes.caffeine.cache.CacheLoader<>() {
                    @Override
                    public List<Candidate> load(String productId) {
                        return reads.read(() -> store.strongestLinks(List.of(productId), KEPT))
                                .getOrDefault(productId, List.of());
                    }

                    @Override
                    public Map<String, List<Candidate>> loadAll(java.util.Set<? extends String> productIds) {
                        Map<String, List<Candidate>> found = new java.util.HashMap<>(
                                reads.read(() -> store.strongestLinks(List.copyOf(productIds), KEPT)));
                        productIds.forEach(id -> found.putIfAbsent(id, List.of()));
                        return found;
                    }

                    @Override
                    public List<Candidate> reload(String productId, List<Candidate> last) {
                        try {
                            return load(productId);
                        } catch (RuntimeException e) {
                            return last; // the breaker knows; the last good links beat none
                        }
                    }
                });
    }

    @Override
    public Map<String, List<Candidate>> next(Collection<String> productIds, int perProduct) {
        Map<String, List<Candidate>> next = new java.util.HashMap<>();
        links.getAll(productIds).forEach((id, out) -> {
            if (!out.isEmpty()) {
                next.put(id, out.subList(0, Math.min(perProduct, out.size())));
            }
        });
        return next;
    }
}

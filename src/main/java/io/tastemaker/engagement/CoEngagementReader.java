package io.tastemaker.engagement;

import com.github.benmanes.caffeine.cache.CacheLoader;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.tastemaker.db.DatabaseReads;
import io.tastemaker.recommend.sources.Candidate;
import io.tastemaker.recommend.sources.CoEngagementGraph;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The co-engagement graph for the request path: each product's strongest outgoing links, kept in
 * memory until they change. A serving process reads the whole graph once at start, then reads
 * again only the products a batch named as changed ({@link EngagementChanges} calls both). A
 * product not kept yet (new links, or beyond {@code kept} products) is read from PostgreSQL by the
 * request that asks, at most what is left of its deadline ({@link DatabaseReads}), for all missing
 * anchors of the request in one statement, and kept from then on.
 * <p>Why not a cache that reads again every few seconds, as before: a shop's anchors are spread
 * over its whole catalog, so nearly every anchor was read again for every feed (three indexed reads
 * per feed, with PostgreSQL's CPU on the same machine); links change only where shoppers engage.
 * While PostgreSQL is down the kept links are served as they are. A consumer's change that commits
 * while a request is reading that product's links may leave the request's copy behind; every kept
 * list is therefore also read again after {@code refresh} (in the background, answering meanwhile).
 * Blocking: worker threads only.
 */
@ApplicationScoped
public class CoEngagementReader implements CoEngagementGraph {

    private static final Logger LOG = Logger.getLogger(CoEngagementReader.class);

    /** Links kept per product: enough for a deep page, whatever a request asks for. */
    static final int KEPT = 200;
    private static final int PAGE = 1_000;

    private final EngagementStore store;
    private final DatabaseReads reads;
    private final EngagementConfig.CoEngagement config;
    private final LoadingCache<String, List<Candidate>> links;

    CoEngagementReader(EngagementStore store, DatabaseReads reads, EngagementConfig engagement, MeterRegistry registry) {
        this.store = store;
        this.reads = reads;
        this.config = engagement.coEngagement();
        this.links = Caffeine.newBuilder()
                .maximumSize(config.kept())
                .refreshAfterWrite(config.refresh())
                .executor(reads.refresher())
                .build(new CacheLoader<>() {
                    @Override
                    public List<Candidate> load(String productId) {
                        return read(Set.of(productId)).get(productId);
                    }

                    @Override
                    public Map<String, List<Candidate>> loadAll(Set<? extends String> productIds) {
                        return read(productIds);
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
        Gauge.builder("tastemaker.co.engagement.products.kept", links, c -> c.estimatedSize())
                .description("Products whose co-engagement links this process keeps in memory").register(registry);
    }

    @Override
    public Map<String, List<Candidate>> next(Collection<String> productIds, int perProduct) {
        Map<String, List<Candidate>> next = new HashMap<>();
        links.getAll(productIds).forEach((id, out) -> {
            if (!out.isEmpty()) {
                next.put(id, out.subList(0, Math.min(perProduct, out.size())));
            }
        });
        return next;
    }

    /** Whether this product's links are in memory (for tests). */
    boolean keeps(String productId) {
        return links.asMap().containsKey(productId);
    }

    /** The strongest links out of {@code productIds}, an empty list for a product without any. */
    private Map<String, List<Candidate>> read(Collection<? extends String> productIds) {
        Map<String, List<Candidate>> found = new HashMap<>(
                reads.read(() -> store.strongestLinks(List.copyOf(productIds), KEPT)));
        productIds.forEach(id -> found.putIfAbsent(id, List.of()));
        return found;
    }

    /** Reads again the kept ones among {@code products}, whose links a batch changed; the others are read when asked. */
    void changed(Collection<String> products) {
        List<String> kept = new ArrayList<>();
        for (String product : products) {
            if (links.asMap().containsKey(product)) { // not getIfPresent: that may start a refresh
                kept.add(product);
            }
        }
        for (int from = 0; from < kept.size(); from += PAGE) {
            links.putAll(read(kept.subList(from, Math.min(kept.size(), from + PAGE))));
        }
    }

    /**
     * Every product's strongest links, a thousand products at a time in product order, up to
     * {@code kept} products. Ids are shared between lists (a product is the target of many), so the
     * graph costs about its links' count times a candidate, not times a string.
     */
    void readWholeGraph() {
        long began = System.nanoTime();
        links.invalidateAll();
        Map<String, String> ids = new HashMap<>();
        String after = "";
        long products = 0;
        long count = 0;
        while (products < config.kept()) {
            String pageAfter = after;
            Map<String, List<Candidate>> page = reads.read(() -> store.strongestLinksAfter(pageAfter, PAGE, KEPT));
            if (page.isEmpty()) {
                break;
            }
            for (Map.Entry<String, List<Candidate>> product : page.entrySet()) {
                List<Candidate> out = new ArrayList<>(product.getValue().size());
                for (Candidate c : product.getValue()) {
                    out.add(new Candidate(ids.computeIfAbsent(c.productId(), k -> k), c.score(), null));
                }
                links.put(ids.computeIfAbsent(product.getKey(), k -> k), List.copyOf(out));
                count += out.size();
                after = product.getKey();
            }
            products += page.size();
        }
        LOG.infof("Co-engagement links kept in memory: %d products, %d links, read in %d ms", links.estimatedSize(), count,
                (System.nanoTime() - began) / 1_000_000);
    }
}

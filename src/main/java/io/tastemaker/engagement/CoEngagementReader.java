package io.tastemaker.engagement;

import com.github.benmanes.caffeine.cache.CacheLoader;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.tastemaker.db.DatabaseReads;
import io.tastemaker.recommend.sources.Candidate;
import io.tastemaker.recommend.sources.CoEngagementGraph;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The co-engagement graph for the request path: each product's strongest outgoing links, kept in
 * memory until they change. A serving process reads the whole graph once at start
 * ({@link #start()}), then every {@code tastemaker.engagement.co-engagement.changes-poll} reads
 * which products the engagement consumers changed (they name them in the batch's own transaction,
 * {@code co_engagement_changes}) and reads only those products' links again. A product not kept
 * yet (new links, or beyond {@code kept} products) is read from PostgreSQL by the request that
 * asks, at most what is left of its deadline ({@link DatabaseReads}), for all missing anchors of
 * the request in one statement, and kept from then on.
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
    /** How long batches' changes stay listed; a reader whose polls failed longer reads the whole graph again. */
    static final Duration CHANGES_KEPT = Duration.ofMinutes(10);
    /** A change commits a moment after its row's time: each poll reads this much before the last one again. */
    private static final Duration MARGIN = Duration.ofSeconds(30);
    private static final int PAGE = 1_000;

    private final EngagementStore store;
    private final DatabaseReads reads;
    private final EngagementConfig.CoEngagement config;
    private final LoadingCache<String, List<Candidate>> links;
    private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "co-engagement-changes");
        t.setDaemon(true);
        return t;
    });

    // poller thread only
    private boolean started;
    private long generation = -1;
    private long lastPollNanos;
    private final Map<Long, Long> seenChanges = new HashMap<>(); // seq -> when first seen (nanos)

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
                        return loadAll(Set.of(productId)).get(productId);
                    }

                    @Override
                    public Map<String, List<Candidate>> loadAll(Set<? extends String> productIds) {
                        Map<String, List<Candidate>> found = new HashMap<>(
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
        Gauge.builder("tastemaker.co.engagement.products.kept", links, c -> c.estimatedSize())
                .description("Products whose co-engagement links this process keeps in memory").register(registry);
    }

    /** Reads the graph into memory and follows its changes from now on (serving processes). */
    public void start() {
        poller.scheduleWithFixedDelay(this::follow, 0, config.changesPoll().toMillis(), TimeUnit.MILLISECONDS);
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

    /** One poll: the whole graph when needed (first time, after a rebuild, after a long outage), else what changed. */
    private void follow() {
        try {
            long stored = reads.read(store::generation);
            long now = System.nanoTime();
            if (!started || stored != generation || now - lastPollNanos > CHANGES_KEPT.minus(MARGIN).toNanos()) {
                readWholeGraph();
                generation = stored;
                started = true;
            } else {
                readChanges(now);
            }
            lastPollNanos = now;
        } catch (RuntimeException e) {
            // PostgreSQL down or slow: the kept links serve; the next poll asks again
            LOG.debugf("co-engagement changes not read: %s", e.getMessage());
        }
    }

    private void readChanges(long now) {
        Duration since = Duration.ofNanos(now - lastPollNanos).plus(MARGIN);
        Set<String> changed = new HashSet<>();
        for (EngagementStore.LinkChange change : reads.read(() -> store.linkChangesWithin(since))) {
            if (seenChanges.putIfAbsent(change.seq(), now) == null) {
                for (String product : change.fromProducts()) {
                    if (links.asMap().containsKey(product)) { // not getIfPresent: that may start a refresh
                        changed.add(product);
                    }
                }
            }
        }
        long forgetBefore = now - MARGIN.multipliedBy(2).toNanos();
        seenChanges.values().removeIf(seenAt -> seenAt < forgetBefore);
        if (changed.isEmpty()) {
            return;
        }
        List<String> ids = List.copyOf(changed);
        for (int from = 0; from < ids.size(); from += 1_000) {
            List<String> chunk = ids.subList(from, Math.min(ids.size(), from + 1_000));
            Map<String, List<Candidate>> read = reads.read(() -> store.strongestLinks(chunk, KEPT));
            for (String id : chunk) {
                links.put(id, read.getOrDefault(id, List.of()));
            }
        }
    }

    /**
     * Every product's strongest links, a thousand products at a time in product order, up to
     * {@code kept} products. Ids are shared between lists (a product is the target of many), so the
     * graph costs about its links' count times a candidate, not times a string.
     */
    private void readWholeGraph() {
        long began = System.nanoTime();
        links.invalidateAll();
        seenChanges.clear();
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

    @PreDestroy
    void stop() {
        poller.shutdownNow();
    }
}

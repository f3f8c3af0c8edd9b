package io.tastemaker.arrivals;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.tastemaker.catalog.CatalogStore;
import io.tastemaker.catalog.CategoryNames;
import io.tastemaker.recommend.sources.Candidate;
import io.tastemaker.recommend.sources.NewArrivals;
import io.tastemaker.vectors.ProductPayload;
import io.tastemaker.vectors.VectorFilter;
import io.tastemaker.vectors.VectorIndex;
import io.tastemaker.vectors.VectorRecord;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The new-arrivals shelf in memory: the catalogue's newest products per category (in stock
 * first), interleaved over categories, with the payloads the serving index holds for them (a
 * product not embedded yet cannot be shown, so it is not on the shelf). One background thread
 * reads it again every {@code tastemaker.new-arrivals.refresh-interval}; a failed read
 * (PostgreSQL away) keeps the last shelf. The request path only filters the list in memory.
 * The adapter of the {@code fresh} source's port: a package of its own, since it reads the
 * catalogue and the index and the ranking core imports neither's adapters.
 */
@ApplicationScoped
public class NewArrivalsShelf implements NewArrivals {

    private static final Logger LOG = Logger.getLogger(NewArrivalsShelf.class);
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(10);

    private record Shelved(String productId, ProductPayload payload) {
    }

    private final CatalogStore catalog;
    private final VectorIndex index;
    private final NewArrivalsConfig config;
    private volatile List<Shelved> shelf = List.of();
    private ScheduledExecutorService refresher;

    NewArrivalsShelf(CatalogStore catalog, VectorIndex index, NewArrivalsConfig config) {
        this.catalog = catalog;
        this.index = index;
        this.config = config;
    }

    @Override
    public List<Candidate> top(VectorFilter filter, int limit) {
        List<Shelved> current = shelf;
        List<Candidate> top = new ArrayList<>(Math.min(limit, current.size()));
        for (int i = 0; i < current.size() && top.size() < limit; i++) {
            Shelved s = current.get(i);
            if (filter.matches(s.productId(), s.payload())) {
                // the shelf's order as a score that falls from 1: fusion only needs it monotonic
                top.add(new Candidate(s.productId(), 1.0 - (double) i / current.size(),
                        "new in " + CategoryNames.leaf(s.payload().category())));
            }
        }
        return top;
    }

    /** After Bootstrap opened the index and migrated the schema (priority 1). */
    void onStart(@Observes @Priority(4) StartupEvent event) {
        refresher = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "new-arrivals-shelf");
            thread.setDaemon(true);
            return thread;
        });
        long interval = config.refreshInterval().toMillis();
        refresher.scheduleWithFixedDelay(this::refresh, 0, interval, TimeUnit.MILLISECONDS);
    }

    void onStop(@Observes @Priority(0) ShutdownEvent event) {
        if (refresher != null) {
            refresher.shutdownNow();
        }
    }

    /** Reads the shelf again now. */
    public void refresh() {
        try {
            List<String> ids = catalog.newArrivalsBlocking(config.perCategory(), config.max(), READ_TIMEOUT);
            Map<String, VectorRecord> embedded = ids.isEmpty() ? Map.of() : index.get(ids);
            List<Shelved> next = new ArrayList<>(embedded.size());
            for (String id : ids) {
                VectorRecord record = embedded.get(id);
                if (record != null) {
                    next.add(new Shelved(id, record.payload()));
                }
            }
            shelf = List.copyOf(next);
        } catch (RuntimeException e) {
            LOG.debugf(e, "new arrivals not refreshed; keeping the last %d", shelf.size());
        }
    }
}

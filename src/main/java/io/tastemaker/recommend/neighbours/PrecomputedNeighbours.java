package io.tastemaker.recommend.neighbours;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.tastemaker.catalog.CatalogStore;
import io.tastemaker.embedding.ActiveModel;
import io.tastemaker.embedding.VectorsChanged;
import io.tastemaker.recommend.sources.NeighbourLists;
import io.tastemaker.recommend.sources.Neighbours;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Keeps each serving version's neighbour lists ({@link NeighbourTable}) off the request path:
 * built in the background the first time a list of that version is asked for (at start for the
 * serving version of a process that serves; an ingest-only process never builds one, and an
 * experiment's treatment is built when it first serves), updated as this instance embeds products, rebuilt when older than
 * {@link NeighboursConfig#refresh()} if the vectors may have changed since: a rebuild catches
 * other processes' writes (a shared store) and the lists an update cannot mend (a product's list
 * that missed a newcomer it is near); a store only this process writes, unchanged since the last
 * build, is not walked again. Until a product's list exists, its neighbours are searched as
 * before. One worker thread does all of it, so a build and an update never interleave.
 */
@ApplicationScoped
public class PrecomputedNeighbours {

    private static final Logger LOG = Logger.getLogger(PrecomputedNeighbours.class);
    private static final int PAGE = 500;
    /** Versions whose lists are kept: the serving one, an experiment's treatment, the one just replaced. */
    private static final int VERSIONS_KEPT = 3;

    private final NeighboursConfig config;
    private final CatalogStore catalog;
    private final Counter kept;
    private final Counter searched;
    private final Counter builds;
    /** Guarded by {@code this}; insertion order = the order versions were first asked for. */
    private final Map<ActiveModel.Serving, Lists> versions = new LinkedHashMap<>();
    private final ExecutorService worker = Executors.newSingleThreadExecutor(task -> {
        Thread t = new Thread(task, "neighbour-lists");
        t.setDaemon(true);
        t.setPriority(Thread.MIN_PRIORITY);
        return t;
    });

    PrecomputedNeighbours(NeighboursConfig config, CatalogStore catalog, MeterRegistry registry) {
        this.config = config;
        this.catalog = catalog;
        this.kept = Counter.builder("tastemaker.neighbours.lookups").tag("result", "kept")
                .description("Anchors whose neighbour list was kept ahead of the request").register(registry);
        this.searched = Counter.builder("tastemaker.neighbours.lookups").tag("result", "searched")
                .description("Anchors without a kept list (searched, or taken from the recent-search cache)")
                .register(registry);
        this.builds = Counter.builder("tastemaker.neighbours.builds")
                .description("Builds of a version's neighbour lists (each walks the whole collection)").register(registry);
        Gauge.builder("tastemaker.neighbours.lists", this, PrecomputedNeighbours::listCount)
                .description("Neighbour lists kept, over the versions kept").register(registry);
    }

    /** The lists of this version's collection, as they are built and kept up to date. */
    public synchronized NeighbourLists of(ActiveModel.Serving serving) {
        if (!config.enabled()) {
            return NeighbourLists.NONE;
        }
        Lists lists = versions.get(serving);
        if (lists == null) {
            if (versions.size() >= VERSIONS_KEPT) {
                versions.remove(versions.keySet().iterator().next());
            }
            lists = new Lists(serving);
            versions.put(serving, lists);
        }
        return lists;
    }

    void onVectorsChanged(@Observes VectorsChanged change) {
        Lists lists;
        synchronized (this) {
            lists = versions.get(change.target());
        }
        if (lists != null) {
            worker.submit(() -> lists.apply(change));
        }
    }

    private synchronized long listCount() {
        return versions.values().stream().mapToLong(Lists::size).sum();
    }

    /** Returns once the worker has done what was handed to it before this call. */
    void awaitWorker() throws Exception {
        worker.submit(() -> { }).get();
    }

    @PreDestroy
    void close() {
        worker.shutdownNow();
    }

    /** One version's lists: the table in use, replaced whole by each rebuild. */
    private final class Lists implements NeighbourLists {

        private final ActiveModel.Serving serving;
        private volatile NeighbourTable table;
        /** When the table in use was complete; 0 before the first build ends. */
        private volatile long builtAtNanos;
        /** Vectors changed since the last build began (or it failed): the next refresh rebuilds. */
        private volatile boolean changedSinceBuild;
        private final AtomicBoolean building = new AtomicBoolean();

        Lists(ActiveModel.Serving serving) {
            this.serving = serving;
            rebuildInBackground();
        }

        @Override
        public Neighbours of(String productId, int k) {
            if (builtAtNanos != 0 && System.nanoTime() - builtAtNanos > config.refresh().toNanos()) {
                if (changedSinceBuild || !serving.index().writtenOnlyHere()) {
                    rebuildInBackground();
                } else {
                    builtAtNanos = System.nanoTime(); // nothing to catch up: looked at again one refresh later
                }
            }
            NeighbourTable current = table;
            Neighbours found = current == null ? null : current.of(productId, k);
            (found == null ? searched : kept).increment();
            return found;
        }

        long size() {
            NeighbourTable current = table;
            return current == null ? 0 : current.size();
        }

        private void rebuildInBackground() {
            if (building.compareAndSet(false, true)) {
                worker.submit(this::rebuild);
            }
        }

        /** Walks the catalog in id order and computes each product's list; the first build is used as it grows. */
        private void rebuild() {
            builds.increment();
            long started = System.nanoTime();
            changedSinceBuild = false; // a change from here on may be missed by this build: the next refresh rebuilds
            NeighbourTable next = new NeighbourTable(serving.index(), config.depth());
            if (table == null) {
                table = next;
            }
            try {
                String after = null;
                while (next.size() < config.maxProducts()) {
                    List<String> ids = idsAfter(after);
                    if (ids.isEmpty()) {
                        break;
                    }
                    Map<String, float[]> vectors = new HashMap<>();
                    serving.index().get(ids).forEach((id, record) -> vectors.put(id, record.vector()));
                    next.compute(vectors);
                    after = ids.get(ids.size() - 1);
                }
                table = next;
                builtAtNanos = System.nanoTime();
                LOG.infof("Neighbour lists of %s: %d products, %d nearest each, built in %.1f s", serving.version(),
                        next.size(), config.depth(), (builtAtNanos - started) / 1e9);
            } catch (RuntimeException e) {
                // the catalog or the collection unreachable: searched as before, tried again at the next refresh
                builtAtNanos = System.nanoTime();
                changedSinceBuild = true;
                LOG.warnf("Neighbour lists of %s not rebuilt (%s); anchors are searched until the next try",
                        serving.version(), e.toString());
            } finally {
                building.set(false);
            }
        }

        /** The collection's own ids when its store can list them (Lucene), else the catalog's. */
        private List<String> idsAfter(String after) {
            return serving.index().idsAfter(after, PAGE).orElseGet(() -> {
                List<String> ids = new ArrayList<>(PAGE);
                catalog.pageAfterBlocking(after, PAGE).forEach(p -> ids.add(p.id()));
                return ids;
            });
        }

        private void apply(VectorsChanged change) {
            changedSinceBuild = true;
            NeighbourTable current = table;
            if (current == null) {
                return;
            }
            try {
                current.removed(change.deleted());
                current.changed(change.embedded());
            } catch (RuntimeException e) {
                LOG.debugf(e, "Neighbour lists of %s not updated; the next rebuild catches up", serving.version());
            }
        }
    }
}

package io.tastemaker.models.registry;

import io.tastemaker.catalog.CatalogStore;
import io.tastemaker.catalog.Product;
import io.tastemaker.embedding.ActiveModel;
import io.tastemaker.embedding.EmbeddingPipeline;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Builds a model version's collection in the background from the catalog in PostgreSQL: walks
 * the products in id order, embeds them in batches with the version's model, and records after
 * each batch how far it got, so a build stopped by a restart resumes where it was. It embeds for
 * at most {@link ModelsConfig#buildShare()} of the time, leaving the rest to serving. Catalog
 * changes during the build reach the new collection through the pipeline; a second, verifying
 * walk re-embeds any product whose text changed under the first one. With several ingest
 * instances one builds a version at a time: it holds a lease it renews after every batch, and
 * another instance takes the build over when the lease runs out ({@link ModelsConfig#buildLease()}).
 * <p>
 * Stopping never interrupts the worker: an interrupt during a write closes the file channels of
 * the embedded (Lucene) index under it, which leaves that collection's writer closed for good.
 * The worker is asked to stop instead, finishes the batch in hand and releases its build.
 */
final class IndexBuilder implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(IndexBuilder.class);
    /** How long a stop waits for the batch in hand (one embedding batch takes well under a second). */
    private static final Duration STOP_WAIT = Duration.ofSeconds(30);

    private final ModelRegistry registry;
    private final CatalogStore catalog;
    private final EmbeddingPipeline pipeline;
    private final ModelsConfig config;
    private final ExecutorService worker;
    /** This instance, as the owner of the builds it runs. */
    private final String owner;
    private final Set<String> running = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;
    /** Counted down on close: wakes a worker resting between batches. */
    private final CountDownLatch closing = new CountDownLatch(1);

    IndexBuilder(ModelRegistry registry, CatalogStore catalog, EmbeddingPipeline pipeline, ModelsConfig config,
                 String owner) {
        this.owner = owner;
        this.registry = registry;
        this.catalog = catalog;
        this.pipeline = pipeline;
        this.config = config;
        this.worker = Executors.newSingleThreadExecutor(task -> {
            Thread t = new Thread(task, "model-index-build");
            t.setDaemon(true);
            t.setPriority(Thread.MIN_PRIORITY);
            return t;
        });
    }

    /**
     * Queues the build of this version (one build runs at a time); a build already queued is not
     * repeated, and one another instance holds is left to it.
     */
    void start(String version, ActiveModel.Serving target) {
        if (running.add(version)) {
            worker.submit(() -> {
                try {
                    build(version, target);
                } finally {
                    running.remove(version);
                }
            });
        }
    }

    boolean building(String version) {
        return running.contains(version);
    }

    private void build(String name, ActiveModel.Serving target) {
        if (closed) {
            return;
        }
        try {
            long total = catalog.countBlocking();
            if (!registry.claimBuild(name, total, owner, config.buildLease())) {
                return; // another instance builds it, or it was built, promoted or retired meanwhile
            }
            ModelVersion version = registry.find(name).orElseThrow(); // where the last owner got to
            long began = System.nanoTime();
            long indexed = version.indexed();
            String after = version.resumeAfter();
            if (after != null) {
                LOG.infof("Index build of %s resumes after product %s (%d of %d done)", name, after, indexed, total);
            }
            long nextLog = indexed + Math.max(1, total / 10);
            for (List<Product> page = catalog.pageAfterBlocking(after, config.buildBatchSize()); !page.isEmpty();
                 page = catalog.pageAfterBlocking(after, config.buildBatchSize())) {
                if (closed) {
                    registry.releaseBuild(name, owner); // resumes from the recorded position on the next start
                    return;
                }
                List<Product> batch = page;
                throttled(() -> pipeline.upsert(target, batch));
                indexed += page.size();
                after = page.get(page.size() - 1).id();
                if (!registry.progress(name, indexed, after, owner)) {
                    LOG.warnf("Index build of %s stops here: another instance took it over", name);
                    return;
                }
                if (indexed >= nextLog) {
                    LOG.infof("Index build of %s: %d of %d products (%.0f/s)", name, indexed, total,
                            indexed * 1e9 / Math.max(1, System.nanoTime() - began));
                    nextLog += Math.max(1, total / 10);
                }
            }
            // products whose text changed while the first walk passed them are embedded again here
            for (List<Product> page = catalog.pageAfterBlocking(null, config.buildBatchSize()); !page.isEmpty();
                 page = catalog.pageAfterBlocking(page.get(page.size() - 1).id(), config.buildBatchSize())) {
                if (closed) {
                    registry.releaseBuild(name, owner);
                    return;
                }
                List<Product> current = page;
                throttled(() -> pipeline.upsert(target, current));
                if (!registry.heartbeat(name, owner)) {
                    LOG.warnf("Index build of %s stops here: another instance took it over", name);
                    return;
                }
            }
            throttled(() -> target.index().compact()); // a promoted version then searches one graph
            registry.finishBuild(name, target.index().count(), owner);
            LOG.infof("Index build of %s finished: %d products in %d s; ready to promote", name,
                    target.index().count(), (System.nanoTime() - began) / 1_000_000_000);
        } catch (RuntimeException e) {
            if (closed) { // shutting down: the lease runs out and the build resumes, it did not fail
                LOG.warnf("Index build of %s stopped by the shutdown: %s", name, e.toString());
                return;
            }
            LOG.errorf(e, "Index build of %s failed", name);
            registry.fail(name, e.toString());
        }
    }

    /** Runs one batch, then rests so that building takes at most its share of the time. */
    private void throttled(Runnable batch) {
        long began = System.nanoTime();
        batch.run();
        double share = Math.min(1, Math.max(0.01, config.buildShare()));
        long rest = (long) ((System.nanoTime() - began) * (1 - share) / share);
        if (rest > 0) {
            try {
                closing.await(rest, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                closed = true;
            }
        }
    }

    /**
     * Stops building: the worker finishes the batch in hand and releases its build, so a restart
     * resumes it at once. A worker still busy after {@link #STOP_WAIT} is left to finish its batch;
     * its build is taken over when the lease runs out.
     */
    @Override
    public void close() {
        closed = true;
        closing.countDown();
        worker.shutdown(); // the running build and any queued one see 'closed' and stop
        try {
            if (!worker.awaitTermination(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warnf("Index build %s still finishing its batch; another instance takes it over when the lease ends",
                        running);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

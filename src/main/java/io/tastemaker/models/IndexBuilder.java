package io.tastemaker.models;

import io.tastemaker.catalog.CatalogStore;
import io.tastemaker.catalog.Product;
import io.tastemaker.embedding.ActiveModel;
import io.tastemaker.embedding.EmbeddingPipeline;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Builds a model version's collection in the background from the catalog in PostgreSQL: walks
 * the products in id order, embeds them in batches with the version's model, and records after
 * each batch how far it got, so a build stopped by a restart resumes where it was. It embeds for
 * at most {@link ModelsConfig#buildShare()} of the time, leaving the rest to serving. Catalog
 * changes during the build reach the new collection through the pipeline; a second, verifying
 * walk re-embeds any product whose text changed under the first one.
 */
final class IndexBuilder implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(IndexBuilder.class);

    private final ModelRegistry registry;
    private final CatalogStore catalog;
    private final EmbeddingPipeline pipeline;
    private final ModelsConfig config;
    private final ExecutorService worker;
    private final Set<String> running = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    IndexBuilder(ModelRegistry registry, CatalogStore catalog, EmbeddingPipeline pipeline, ModelsConfig config) {
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

    /** Queues the build of this version (one build runs at a time); a build already queued is not repeated. */
    void start(ModelVersion version, ActiveModel.Serving target) {
        if (running.add(version.version())) {
            worker.submit(() -> {
                try {
                    build(version, target);
                } finally {
                    running.remove(version.version());
                }
            });
        }
    }

    boolean building(String version) {
        return running.contains(version);
    }

    private void build(ModelVersion version, ActiveModel.Serving target) {
        String name = version.version();
        try {
            long total = catalog.countBlocking();
            if (!registry.startBuild(name, total)) {
                return; // promoted, retired or built meanwhile
            }
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
                    return; // resumes from the recorded position on the next start
                }
                List<Product> batch = page;
                throttled(() -> pipeline.upsert(target, batch));
                indexed += page.size();
                after = page.get(page.size() - 1).id();
                registry.progress(name, indexed, after);
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
                    return;
                }
                List<Product> current = page;
                throttled(() -> pipeline.upsert(target, current));
            }
            registry.finishBuild(name, target.index().count());
            LOG.infof("Index build of %s finished: %d products in %d s; ready to promote", name,
                    target.index().count(), (System.nanoTime() - began) / 1_000_000_000);
        } catch (RuntimeException e) {
            if (closed) {
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
                TimeUnit.NANOSECONDS.sleep(rest);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                closed = true;
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        worker.shutdownNow();
    }
}

package io.tastemaker.embedding;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.tastemaker.catalog.CatalogChange;
import io.tastemaker.catalog.CatalogCodec;
import io.tastemaker.catalog.Product;
import io.tastemaker.streams.BatchHandler;
import io.tastemaker.vectors.VectorRecord;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Keeps the vector index in step with the catalog topic: embeds new and changed products in
 * batches with the active model, reuses the stored vector when a product's text did not change
 * (a price or stock update costs no inference), and deletes removed products. Malformed records
 * are skipped here; the catalog store consumer dead-letters them.
 * <p>
 * Only the serving version is embedded in the consumer's loop; every other maintained version
 * (being built, kept ready, an experiment's treatment) follows on its own thread
 * ({@link VersionFollower}), so a slow or failing model there cannot stall the serving index.
 */
@ApplicationScoped
public class EmbeddingPipeline implements BatchHandler {

    private static final Logger LOG = Logger.getLogger(EmbeddingPipeline.class);

    private final CatalogCodec codec;
    private final ActiveModel model;
    private final EmbeddingConfig config;
    private final Timer embedLatency;
    private final DistributionSummary embeddedPerBatch;
    private final Counter reused;
    private final Event<VectorsChanged> vectorsChanged;
    /** Followers of the maintained versions that do not serve, by version; guarded by {@code this}. */
    private final Map<String, VersionFollower> followers = new HashMap<>();
    private volatile int followBacklog = 50_000;
    private long processed;
    private long processedSinceLog;
    private long lastLogNanos;

    EmbeddingPipeline(CatalogCodec codec, ActiveModel model, EmbeddingConfig config,
                      MeterRegistry registry, Event<VectorsChanged> vectorsChanged) {
        this.codec = codec;
        this.vectorsChanged = vectorsChanged;
        this.model = model;
        this.config = config;
        this.embedLatency = Timer.builder("tastemaker.embedding.batch.latency")
                .description("Time the model takes to embed one batch").publishPercentiles(0.5, 0.99).register(registry);
        this.embeddedPerBatch = DistributionSummary.builder("tastemaker.embedding.batch.size")
                .description("Texts embedded per model call").register(registry);
        this.reused = Counter.builder("tastemaker.embedding.reused")
                .description("Product updates whose text did not change, so the stored vector was kept").register(registry);
    }

    @Override
    public List<Rejected> handle(List<ConsumerRecord<String, String>> batch) {
        CatalogCodec.DecodedBatch decoded = codec.decodeAll(batch);
        apply(decoded.changes());
        reportProgress(decoded.changes().size());
        return decoded.rejected();
    }

    /**
     * Idempotent: applying the same changes twice leaves the same index. The serving version's
     * collection is written before this returns; the other maintained versions' are queued.
     */
    public void apply(List<CatalogChange> changes) {
        Map<String, CatalogChange> latest = CatalogChange.latestPerProduct(changes);
        List<ActiveModel.Serving> targets = model.targets();
        ActiveModel.Serving serving = targets.get(0);
        Map<String, CatalogChange> own = new LinkedHashMap<>();
        synchronized (this) {
            // promoted since the last batch: what its follower still holds is older than this batch
            VersionFollower promoted = followers.remove(serving.version());
            if (promoted != null) {
                promoted.stop().forEach(c -> own.put(c.productId(), c));
            }
            Set<String> others = new HashSet<>();
            for (ActiveModel.Serving target : targets.subList(1, targets.size())) {
                others.add(target.version());
                VersionFollower follower = followers.get(target.version());
                if (follower == null || follower.target() != target) {
                    if (follower != null) {
                        follower.abandon();
                    }
                    follower = new VersionFollower(target, this::applyTo, followBacklog, config.batchSize());
                    followers.put(target.version(), follower);
                }
                follower.offer(latest.values());
            }
            followers.entrySet().removeIf(e -> {
                if (others.contains(e.getKey())) {
                    return false;
                }
                e.getValue().abandon(); // no longer maintained
                return true;
            });
        }
        own.putAll(latest);
        applyTo(serving, own.values());
    }

    /** How many changed products a version that does not serve may have waiting (see {@link VersionFollower}). */
    public void followBacklog(int products) {
        this.followBacklog = Math.max(1, products);
    }

    /** Versions that stopped following the catalog (their model failed too long), with why. */
    public synchronized Map<String, String> fallenBehind() {
        Map<String, String> behind = new HashMap<>();
        followers.forEach((version, follower) -> {
            String reason = follower.fellBehind();
            if (reason != null) {
                behind.put(version, reason);
            }
        });
        return behind;
    }

    /** Stops following a version (failed or retired); it follows again once maintained again. */
    public synchronized void forget(String version) {
        VersionFollower follower = followers.remove(version);
        if (follower != null) {
            follower.abandon();
        }
    }

    /** Catalog changes waiting for this version's model (0 for the serving version). */
    public synchronized int waiting(String version) {
        VersionFollower follower = followers.get(version);
        return follower == null ? 0 : follower.waiting();
    }

    @PreDestroy
    synchronized void close() {
        followers.values().forEach(VersionFollower::abandon);
        followers.clear();
    }

    private void applyTo(ActiveModel.Serving target, Collection<CatalogChange> changes) {
        List<String> deleted = new ArrayList<>();
        List<Product> upserted = new ArrayList<>();
        for (CatalogChange change : changes) {
            if (change instanceof CatalogChange.Upsert upsert) {
                upserted.add(upsert.product());
            } else {
                deleted.add(change.productId());
            }
        }
        target.index().delete(deleted);
        Map<String, float[]> embedded = new HashMap<>();
        target.index().upsert(vectorsFor(target, upserted, embedded));
        if (!embedded.isEmpty() || !deleted.isEmpty()) {
            vectorsChanged.fire(new VectorsChanged(target, embedded, deleted));
        }
    }

    /**
     * Writes these products into one version's collection, embedding only those whose text the
     * collection does not hold yet: an index build, resumed or repeated, embeds each product once.
     */
    public void upsert(ActiveModel.Serving target, List<Product> products) {
        target.index().upsert(vectorsFor(target, products, new HashMap<>()));
    }

    /** The records to write; those embedded afresh are also put into {@code embedded}. */
    private List<VectorRecord> vectorsFor(ActiveModel.Serving target, List<Product> products,
                                          Map<String, float[]> embedded) {
        if (products.isEmpty()) {
            return List.of();
        }
        Map<String, VectorRecord> stored = target.index().get(products.stream().map(Product::id).toList());
        String version = target.version();
        List<VectorRecord> records = new ArrayList<>(products.size());
        List<Product> toEmbed = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        List<String> hashes = new ArrayList<>();
        for (Product p : products) {
            String text = ProductText.of(p);
            String hash = ProductText.hash(version, text);
            VectorRecord previous = stored.get(p.id());
            if (previous != null && hash.equals(previous.payload().textHash())) {
                records.add(new VectorRecord(p.id(), previous.vector(), ProductText.payload(p, hash)));
                reused.increment();
            } else {
                toEmbed.add(p);
                texts.add(text);
                hashes.add(hash);
            }
        }
        for (int from = 0; from < texts.size(); from += config.batchSize()) {
            int to = Math.min(texts.size(), from + config.batchSize());
            List<String> slice = texts.subList(from, to);
            List<float[]> vectors = embedLatency.record(() -> target.embedAll(slice));
            embeddedPerBatch.record(slice.size());
            for (int i = from; i < to; i++) {
                Product p = toEmbed.get(i);
                records.add(new VectorRecord(p.id(), vectors.get(i - from), ProductText.payload(p, hashes.get(i))));
                embedded.put(p.id(), vectors.get(i - from));
            }
        }
        return records;
    }

    /** Logs every {@code progressEvery} changes, with the rate since the previous log line. */
    private synchronized void reportProgress(int count) {
        long now = System.nanoTime();
        if (processedSinceLog == 0) {
            lastLogNanos = now;
        }
        processedSinceLog += count;
        processed += count;
        if (processedSinceLog >= config.progressEvery()) {
            double seconds = Math.max(1e-3, (now - lastLogNanos) / 1e9);
            LOG.infof("Embedding pipeline: %d catalog changes applied (%.0f/s over the last %d), %d products indexed",
                    processed, processedSinceLog / seconds, processedSinceLog, model.serving().index().count());
            processedSinceLog = 0;
        }
    }
}

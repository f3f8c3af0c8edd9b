package io.tastemaker.embedding;

import io.tastemaker.catalog.CatalogChange;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * Keeps one version's collection in step with the catalog on a thread of its own, for a version
 * that does not serve (being built, kept ready for a promotion, an experiment's treatment): its
 * model may be slow or failing (a remote endpoint that hangs or answers 500) without holding up
 * the serving version's ingestion. Changes wait coalesced per product, the latest winning, so
 * the wait list never outgrows the catalog; a failed batch is retried with back-off (newer
 * changes to the same products replace it). Past {@code backlog} waiting products the version
 * has fallen behind: the follower stops, and the version must be built again.
 * <p>
 * The worker is never interrupted: an interrupt during a write closes the embedded (Lucene)
 * index's file channels under it. It is asked to stop and finishes the batch in hand.
 */
final class VersionFollower {

    private static final Logger LOG = Logger.getLogger(VersionFollower.class);
    private static final long MAX_BACKOFF_MS = 30_000;
    /** A failing version is reported at most this often. */
    private static final long REPORT_EVERY_NANOS = 60_000_000_000L;

    private final ActiveModel.Serving target;
    private final BiConsumer<ActiveModel.Serving, Collection<CatalogChange>> apply;
    private final int backlog;
    private final int batchSize;
    private final LinkedHashMap<String, CatalogChange> waiting = new LinkedHashMap<>();
    private final Thread worker;
    private boolean stopped;
    private boolean busy;
    private String fellBehind;

    VersionFollower(ActiveModel.Serving target, BiConsumer<ActiveModel.Serving, Collection<CatalogChange>> apply,
                    int backlog, int batchSize) {
        this.target = target;
        this.apply = apply;
        this.backlog = backlog;
        this.batchSize = Math.max(1, batchSize);
        this.worker = new Thread(this::run, "embedding-follow-" + target.version());
        this.worker.setDaemon(true);
        this.worker.start();
    }

    ActiveModel.Serving target() {
        return target;
    }

    /** Queues these changes (never blocks); false once the follower stopped or fell behind. */
    synchronized boolean offer(Collection<CatalogChange> changes) {
        if (stopped) {
            return false;
        }
        for (CatalogChange change : changes) {
            waiting.remove(change.productId()); // re-inserted at the end: batches go oldest change first
            waiting.put(change.productId(), change);
        }
        if (waiting.size() > backlog) {
            fellBehind = "its model kept failing while more than " + backlog + " products changed"
                    + " (tastemaker.models.follow-backlog); index it again";
            waiting.clear();
            stopped = true;
            LOG.errorf("Model version %s stops following the catalog: %s", target.version(), fellBehind);
        }
        notifyAll();
        return !stopped;
    }

    /** Why this version stopped following the catalog, or null. */
    synchronized String fellBehind() {
        return fellBehind;
    }

    /** Products waiting for this version's model. */
    synchronized int waiting() {
        return waiting.size();
    }

    /** Stops the worker without waiting for the batch in hand (the version is no longer maintained). */
    synchronized void abandon() {
        stopped = true;
        waiting.clear();
        notifyAll();
    }

    /**
     * Stops the worker once the batch in hand is written, and returns the changes still waiting,
     * oldest first (for the version's new owner to apply).
     */
    synchronized List<CatalogChange> stop() {
        stopped = true;
        notifyAll();
        while (busy) {
            try {
                wait(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        List<CatalogChange> left = new ArrayList<>(waiting.values());
        waiting.clear();
        return left;
    }

    private void run() {
        long backoffMs = 0;
        long failingSince = 0;
        long lastReport = 0;
        int failures = 0;
        while (true) {
            List<CatalogChange> batch = new ArrayList<>(batchSize);
            synchronized (this) {
                long resumeAt = System.currentTimeMillis() + backoffMs;
                while (!stopped && (waiting.isEmpty() || System.currentTimeMillis() < resumeAt)) {
                    try {
                        wait(Math.max(1, waiting.isEmpty() ? 1000 : resumeAt - System.currentTimeMillis()));
                    } catch (InterruptedException e) {
                        stopped = true;
                    }
                }
                if (stopped) {
                    return;
                }
                for (Iterator<CatalogChange> it = waiting.values().iterator(); it.hasNext() && batch.size() < batchSize; ) {
                    batch.add(it.next());
                    it.remove();
                }
                busy = true;
            }
            try {
                apply.accept(target, batch);
                if (failures > 0) {
                    LOG.infof("Model version %s follows the catalog again after %d failed attempts over %d s",
                            target.version(), failures, (System.nanoTime() - failingSince) / 1_000_000_000L);
                }
                failures = 0;
                backoffMs = 0;
            } catch (RuntimeException e) {
                synchronized (this) {
                    for (CatalogChange change : batch) {
                        waiting.putIfAbsent(change.productId(), change); // a newer change of the same product wins
                    }
                }
                long now = System.nanoTime();
                if (failures++ == 0) {
                    failingSince = now;
                }
                if (failures == 1 || now - lastReport > REPORT_EVERY_NANOS) {
                    LOG.warnf("Model version %s could not embed %d catalog changes (attempt %d; %d waiting; the serving"
                            + " version is not held up): %s", target.version(), batch.size(), failures, waiting(),
                            e.getMessage());
                    lastReport = now;
                }
                backoffMs = Math.min(MAX_BACKOFF_MS, Math.max(250, backoffMs * 2));
            } finally {
                synchronized (this) {
                    busy = false;
                    notifyAll();
                }
            }
        }
    }
}

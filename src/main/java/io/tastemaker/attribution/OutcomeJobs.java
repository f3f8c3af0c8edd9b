package io.tastemaker.attribution;

import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The background steps of attribution, on ingest instances: credit the outcomes that waited for
 * their list (or count them as unattributed once they waited {@code pending-grace}), and purge
 * served lists past the retention, in batches. (Served lists are counted as they are recorded, by
 * {@link ServedListRecorder}.) Each step is one short transaction, so a crash repeats it entirely or not at all.
 */
@ApplicationScoped
public class OutcomeJobs {

    private static final Logger LOG = Logger.getLogger(OutcomeJobs.class);

    private final OutcomeStore store;
    private final OutcomeMetrics metrics;
    private final AttributionConfig config;
    private ScheduledExecutorService scheduler;

    OutcomeJobs(OutcomeStore store, OutcomeMetrics metrics, AttributionConfig config) {
        this.store = store;
        this.metrics = metrics;
        this.config = config;
    }

    public synchronized void start() {
        if (scheduler != null) {
            return;
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "attribution-jobs");
            thread.setDaemon(true);
            return thread;
        });
        long every = config.settleEvery().toMillis();
        scheduler.scheduleWithFixedDelay(() -> quietly("settle waiting outcomes", this::settleAll), every, every,
                TimeUnit.MILLISECONDS);
        long purge = config.purgeEvery().toMillis();
        scheduler.scheduleWithFixedDelay(() -> quietly("purge served lists", this::purgeExpired), purge, purge,
                TimeUnit.MILLISECONDS);
    }

    public synchronized void stop() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            try {
                scheduler.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            scheduler = null;
        }
    }

    /** Credits every outcome that waited for its list, or counts it unattributed once it waited too long; answers how many. */
    long settleAll() {
        long total = 0;
        int settled;
        do {
            settled = settlePending();
            total += settled;
        } while (settled == config.batchRows());
        return total;
    }

    /** Deletes served lists older than the retention, batch by batch; answers how many. */
    long purgeExpired() {
        Instant before = Instant.now().minus(config.retention());
        long total = 0;
        long purged;
        do {
            purged = store.purge(before, config.batchRows());
            total += purged;
        } while (purged == config.batchRows());
        if (total > 0) {
            metrics.purged(total);
            LOG.infof("Purged %d served lists older than %s", total, before);
        }
        return total;
    }

    private int settlePending() {
        Instant expired = Instant.now().minus(config.pendingGrace());
        OutcomeProcessor.Outcomes outcomes = new OutcomeProcessor.Outcomes();
        int taken = store.inTransaction(tx -> {
            tx.holdOffErasures();
            List<OutcomeStore.Pending> pending = tx.takePending(expired, config.batchRows());
            Set<String> recommIds = new HashSet<>();
            pending.forEach(p -> recommIds.add(p.recommId()));
            Map<String, ServedListRow> lists = tx.servedLists(recommIds);
            Set<String> users = new HashSet<>();
            pending.forEach(p -> users.add(p.userId()));
            lists.values().forEach(l -> {
                if (l.userId() != null) {
                    users.add(l.userId());
                }
            });
            Set<String> erased = tx.erased(users);
            List<OutcomeStore.Credit> credits = new ArrayList<>();
            for (OutcomeStore.Pending p : pending) {
                ServedListRow list = lists.get(p.recommId());
                if (erased.contains(p.userId())) {
                    continue;
                }
                if (list == null) {
                    outcomes.unattributed(p.loggedAt(), p.outcome(), OutcomeStore.Unattributed.UNKNOWN_RECOMM_ID);
                } else if (!list.serves(p.productId())) {
                    outcomes.unattributed(p.loggedAt(), p.outcome(), OutcomeStore.Unattributed.PRODUCT_NOT_IN_LIST);
                } else {
                    credits.add(new OutcomeStore.Credit(list, p.productId(), p.outcome(), p.value(), p.currency()));
                }
            }
            outcomes.credit(tx, credits, erased, config.currency());
            tx.addUnattributed(outcomes.unattributed);
            return pending.size();
        });
        outcomes.report(metrics);
        return taken;
    }

    private static void quietly(String what, Runnable step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            LOG.warnf(e, "Could not %s; the next run will", what);
        }
    }
}

package io.tastemaker.engagement;

import io.tastemaker.db.DatabaseReads;
import io.tastemaker.profiles.ProfileService;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Follows what the engagement consumers (of every instance) and erasures changed, so that what a
 * process keeps in memory stays current without reading it again for each request: every
 * {@code tastemaker.engagement.changes-poll} it reads the changes named since the last poll
 * ({@code engagement_changes}, written in the batch's or erasure's own transaction) and passes on
 * the products whose links changed to the co-engagement graph, the shoppers whose profiles changed
 * or who were erased to the profiles and to the shoppers' histories. When it cannot know what
 * changed (its first poll, a rebuild, polls failing for longer than the changes are kept), the
 * graph and the histories are read whole and every kept profile is read again on its next request.
 */
@ApplicationScoped
public class EngagementChanges {

    private static final Logger LOG = Logger.getLogger(EngagementChanges.class);

    /** How long changes stay listed; a process whose polls failed longer starts over. */
    static final Duration KEPT = Duration.ofMinutes(10);
    /** A change commits a moment after its row's time: each poll reads this much before the last one again. */
    private static final Duration MARGIN = Duration.ofSeconds(30);

    private final EngagementStore store;
    private final DatabaseReads reads;
    private final CoEngagementReader graph;
    private final ShopperHistoryIndex histories;
    private final ProfileService profiles;
    private final Duration every;
    private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "engagement-changes");
        t.setDaemon(true);
        return t;
    });

    private volatile boolean keepsGraph;
    // poller thread only
    private boolean started;
    private long generation = -1;
    private long lastPollNanos;
    private final Map<Long, Long> seen = new HashMap<>(); // seq -> when first seen (nanos)

    EngagementChanges(EngagementStore store, DatabaseReads reads, CoEngagementReader graph, ShopperHistoryIndex histories,
                      ProfileService profiles, EngagementConfig config) {
        this.store = store;
        this.reads = reads;
        this.graph = graph;
        this.histories = histories;
        this.profiles = profiles;
        this.every = config.changesPoll();
    }

    /**
     * Follows the changes from now on: the profiles' always, the co-engagement graph's and the
     * shoppers' histories too when {@code keepGraph} (a serving process, which reads both whole first).
     */
    public void start(boolean keepGraph) {
        keepsGraph = keepGraph;
        poller.scheduleWithFixedDelay(this::follow, 0, every.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** One poll: everything when needed (first time, after a rebuild, after a long outage), else what changed. */
    private void follow() {
        try {
            long stored = reads.read(store::generation);
            long now = System.nanoTime();
            if (!started || stored != generation || now - lastPollNanos > KEPT.minus(MARGIN).toNanos()) {
                seen.clear();
                profiles.allChanged();
                if (keepsGraph) {
                    graph.readWholeGraph();
                    histories.readAll();
                    profiles.warm();
                }
                generation = stored;
                started = true;
            } else {
                readChanges(now);
            }
            lastPollNanos = now;
        } catch (RuntimeException e) {
            // PostgreSQL down or slow: what is kept serves; the next poll asks again
            LOG.debugf("engagement changes not read: %s", e.getMessage());
        }
    }

    private void readChanges(long now) {
        Duration since = Duration.ofNanos(now - lastPollNanos).plus(MARGIN);
        Set<String> products = new HashSet<>();
        Set<String> shoppers = new HashSet<>();
        Set<String> erased = new HashSet<>();
        for (EngagementStore.Change change : reads.read(() -> store.changesWithin(since))) {
            if (seen.putIfAbsent(change.seq(), now) == null) {
                products.addAll(change.fromProducts());
                shoppers.addAll(change.shoppers());
                erased.addAll(change.erased());
                profiles.changed(change.seq(), change.shoppers());
                change.erased().forEach(profiles::forget);
            }
        }
        long forgetBefore = now - MARGIN.multipliedBy(2).toNanos();
        seen.values().removeIf(seenAt -> seenAt < forgetBefore);
        if (keepsGraph && !products.isEmpty()) {
            graph.changed(products);
        }
        if (keepsGraph && !(shoppers.isEmpty() && erased.isEmpty())) {
            histories.changed(shoppers);
            histories.forget(erased);
        }
    }

    @PreDestroy
    void stop() {
        poller.shutdownNow();
    }
}

package io.tastemaker.merchandising;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The rules this instance applies, as an immutable snapshot the request path reads without
 * blocking. One scheduler thread asks PostgreSQL for the change counter every
 * {@code tastemaker.merchandising.poll-interval} (a primary-key read on the reactive client) and
 * reloads the rules when it moved, so a change committed by any instance is in use on every
 * instance within about that interval; this instance's own writes refresh it at once. The
 * poller waits for its query on its own thread, never on an event loop; polls never overlap; a
 * failed poll keeps the last snapshot and the next one tries again.
 *
 * <p>Starts once {@code io.tastemaker.app.Bootstrap} has migrated the schema (its start-up
 * observer has priority 1, this one 2) and stops before Bootstrap stops the database.
 */
@ApplicationScoped
public class ActiveRules {

    private static final Logger LOG = Logger.getLogger(ActiveRules.class);
    private static final Duration POLL_TIMEOUT = Duration.ofSeconds(5);
    private static final RuleStore.Snapshot NOTHING_YET = new RuleStore.Snapshot(-1, List.of());

    private final RuleStore store;
    private final MerchandisingConfig config;
    private final AtomicReference<RuleStore.Snapshot> snapshot = new AtomicReference<>(NOTHING_YET);
    private ScheduledExecutorService poller;
    private boolean failing;

    ActiveRules(RuleStore store, MerchandisingConfig config) {
        this.store = store;
        this.config = config;
    }

    /** Every stored rule, enabled or not (the engine picks those live on a surface at a time). */
    public List<Rule> current() {
        return snapshot.get().rules();
    }

    /** The change counter the snapshot was read at; -1 before the first load. */
    public long version() {
        return snapshot.get().version();
    }

    void onStart(@Observes @Priority(2) StartupEvent event) {
        start();
    }

    void onStop(@Observes @Priority(0) ShutdownEvent event) {
        stop();
    }

    /** Loads the rules (waiting for them: start-up only), then polls. */
    public synchronized void start() {
        if (poller != null) {
            return;
        }
        poll();
        poller = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "merchandising-rules-poller");
            thread.setDaemon(true);
            return thread;
        });
        long interval = config.pollInterval().toMillis();
        poller.scheduleWithFixedDelay(this::poll, interval, interval, TimeUnit.MILLISECONDS);
        LOG.infof("Merchandising rules: %d loaded (change %d), polling every %d ms", current().size(), version(), interval);
    }

    public synchronized void stop() {
        if (poller != null) {
            poller.shutdownNow(); // interrupts a poll waiting for the database, which then ends quietly
            try {
                poller.awaitTermination(POLL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            poller = null;
        }
    }

    /**
     * Reloads now, on the caller's Vert.x context (e.g. a resource after its write committed);
     * completes once the snapshot holds the rules as of the end of the call. Never fails.
     */
    public Uni<Void> refresh() {
        return store.snapshot()
                .invoke(this::install)
                .onFailure().invoke(e -> LOG.warnf(e, "Could not refresh merchandising rules; the next poll will"))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    /** One poll, on the poller thread (or the start-up thread): waits for the database, up to a timeout. */
    private void poll() {
        long seen = version();
        try {
            RuleStore.Snapshot loaded = VertxContextSupport.subscribeAndAwait(() -> store.version()
                    .chain(latest -> latest == seen ? Uni.createFrom().<RuleStore.Snapshot>nullItem() : store.snapshot())
                    .ifNoItem().after(POLL_TIMEOUT).fail());
            if (loaded != null) {
                install(loaded);
            }
            if (failing) {
                failing = false;
                LOG.info("Polling merchandising rules works again");
            }
        } catch (Throwable e) {
            if (Thread.currentThread().isInterrupted()) {
                return; // stopping
            }
            if (!failing) {
                failing = true;
                LOG.warnf("Polling merchandising rules failed (%s); serving the last %d rules until it works",
                        e.toString(), current().size());
            }
        }
    }

    /** Keeps the newer of the two: a slow load must not replace a fresher one. */
    private void install(RuleStore.Snapshot loaded) {
        snapshot.getAndUpdate(s -> loaded.version() >= s.version() ? loaded : s);
    }
}

package io.tastemaker.security;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Every API key this instance accepts, held in memory so checking a key costs a hash and a map
 * look-up, never a database round trip. One thread asks PostgreSQL for the keys' change counter
 * every {@code tastemaker.security.key-poll-interval} and reloads them when it moved, so a key
 * created or revoked on any instance is honoured on every instance within about that interval.
 * Last-used times are gathered in memory and written in one statement now and then.
 * A failed poll keeps the last keys: a database outage does not lock every caller out.
 */
@ApplicationScoped
public class ApiKeys {

    private static final Logger LOG = Logger.getLogger(ApiKeys.class);
    private static final ApiKeyStore.Snapshot NOTHING_YET = new ApiKeyStore.Snapshot(-1, Map.of());

    private final ApiKeyStore store;
    private final SecurityConfig config;
    private volatile ApiKeyStore.Snapshot snapshot = NOTHING_YET;
    private final Map<Long, Instant> usedSinceFlush = new ConcurrentHashMap<>();
    private ScheduledExecutorService poller;
    private boolean failing;

    @Inject
    ApiKeys(ApiKeyStore store, SecurityConfig config) {
        this.store = store;
        this.config = config;
    }

    /** The active key whose secret this is, recorded as used; empty for an unknown, revoked or expired one. */
    public Optional<ApiKey> authenticate(String secret) {
        return recordUse(peek(secret));
    }

    /** Records the use of a key {@link #peek} found earlier in the same request. */
    Optional<ApiKey> recordUse(Optional<ApiKey> key) {
        key.ifPresent(k -> usedSinceFlush.put(k.id(), Instant.now()));
        return key;
    }

    /** The active key whose secret this is, without recording a use (the rate limiter asks too). */
    public Optional<ApiKey> peek(String secret) {
        if (!ApiKeySecret.looksLikeOne(secret)) {
            return Optional.empty();
        }
        ApiKey key = snapshot.byHash().get(ApiKeySecret.hash(secret));
        return key != null && key.activeAt(Instant.now()) ? Optional.of(key) : Optional.empty();
    }

    /**
     * A cache of its own, started, as another instance runs it (for measuring how fast a change
     * on one instance reaches the others); {@link #close()} it.
     */
    public static ApiKeys forAnotherInstance(ApiKeyStore store, SecurityConfig config) {
        ApiKeys keys = new ApiKeys(store, config);
        keys.start();
        return keys;
    }

    public void close() {
        stop();
    }

    /** Loads the keys (waiting for them: start-up only), then polls. */
    synchronized void start() {
        if (poller != null) {
            return;
        }
        reload();
        poller = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "api-keys-poller");
            thread.setDaemon(true);
            return thread;
        });
        long poll = config.keyPollInterval().toMillis();
        poller.scheduleWithFixedDelay(this::poll, poll, poll, TimeUnit.MILLISECONDS);
        long flush = config.lastUsedFlushInterval().toMillis();
        poller.scheduleWithFixedDelay(this::flushLastUsed, flush, flush, TimeUnit.MILLISECONDS);
        LOG.infof("API keys: %d loaded, polling every %d ms", snapshot.byHash().size(), poll);
    }

    synchronized void stop() {
        if (poller == null) {
            return;
        }
        poller.shutdown();
        try {
            poller.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        poller = null;
        try {
            flushLastUsed();
        } catch (RuntimeException e) {
            LOG.debugf("last-used times not written at shutdown: %s", e);
        }
    }

    /** Reloads now (this instance's own changes show at once; the others' at their next poll). */
    public void reload() {
        snapshot = store.snapshot();
    }

    private void poll() {
        try {
            if (store.version() != snapshot.version()) {
                reload();
            }
            if (failing) {
                failing = false;
                LOG.info("Polling API keys works again");
            }
        } catch (RuntimeException e) {
            if (!failing) {
                failing = true;
                LOG.warnf("Polling API keys failed (%s); the last %d keys stay in use until it works", e.toString(),
                        snapshot.byHash().size());
            }
        }
    }

    private void flushLastUsed() {
        if (usedSinceFlush.isEmpty()) {
            return;
        }
        Map<Long, Instant> batch = new HashMap<>();
        for (Long id : usedSinceFlush.keySet()) {
            Instant at = usedSinceFlush.remove(id);
            if (at != null) {
                batch.put(id, at);
            }
        }
        try {
            store.touch(batch);
        } catch (RuntimeException e) {
            batch.forEach((id, at) -> usedSinceFlush.merge(id, at, (a, b) -> a.isAfter(b) ? a : b));
            LOG.debugf("last-used times not written, kept for the next flush: %s", e);
        }
    }
}

package io.tastemaker.profiles;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.tastemaker.embedding.ActiveModel;
import io.tastemaker.vectors.VectorRecord;
import io.tastemaker.db.DatabaseReads;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * Taste profiles for the request path, kept in memory while their shopper is active
 * ({@code tastemaker.engagement.profile-cache-idle}) and current until something changes them:
 * this instance's own engagement consumer replaces a profile at once ({@link #updated}); what the
 * consumers of other instances changed, and erasures, reach here within a poll of the engagement
 * changes ({@link #changed}, {@link #forget}), and such a profile is read again on its
 * shopper's next request. (Before, every profile was read again 500 ms after its last read: with
 * shoppers spread over a large shop nearly every feed waited for PostgreSQL, the larger part of
 * its slowest percentile; docs/operations.md.) A profile built with another embedding model than
 * the active one is re-expressed in the active model's space on read. When PostgreSQL cannot be
 * read (down, hung: see {@link DatabaseReads}), a kept profile is served as it was, changed or
 * not; without one the read fails and the list goes on without a profile.
 */
@ApplicationScoped
public class ProfileService {

    private static final Logger LOG = Logger.getLogger(ProfileService.class);
    private static final int WARM_PAGE = 1_000;

    private final ProfileStore store;
    private final ActiveModel model;
    private final ProfileCodec codec;

    /**
     * A profile (or its absence, {@code state} null) as read or updated, {@code current} until a
     * change names its shopper. Kept encoded as the store keeps it, a few arrays instead of a
     * profile's hundreds of small objects: the object graphs of the active shoppers' profiles were
     * copied from survivor space to survivor space by every young collection, half of each pause
     * under load (docs/operations.md). Each read decodes its own copy, so no two requests (or a
     * request and the consumer) share a mutable profile.
     */
    private record Kept(String state, byte[] vector, String modelVersion, long events, boolean current) {

        static Kept of(ProfileStore.Stored stored) {
            return new Kept(stored.state(), stored.vector(), stored.modelVersion(), stored.events(), true);
        }

        static Kept of(Optional<TasteProfile> profile, ProfileCodec codec) {
            return profile.map(p -> new Kept(codec.state(p), p.vectorSum() == null ? null : ProfileCodec.bytes(p.vectorSum()),
                    p.modelVersion(), p.events(), true)).orElseGet(() -> new Kept(null, null, null, 0, true));
        }

        Optional<TasteProfile> profile(String userId, ProfileCodec codec) {
            return state == null ? Optional.empty() : Optional.of(codec.read(userId, state, vector, modelVersion, events));
        }

        Kept changed() {
            return current ? new Kept(state, vector, modelVersion, events, false) : this;
        }
    }

    private final DatabaseReads reads;
    private final Cache<String, Kept> kept;
    /** Profiles re-expressed for the treatment of an A/B experiment (one version at a time). */
    private final Cache<String, Kept> inTreatmentSpace;
    /**
     * Numbers the changes this instance learns of, so that a read from PostgreSQL that began before
     * a change (and may hold what the change replaced) is not kept after it: the number of each
     * shopper's last change, long enough for any read in flight, and of the last change of all.
     */
    private final AtomicLong changes = new AtomicLong();
    private final Cache<String, Long> lastChange;
    private volatile long lastChangeOfAll;
    /** The change that named each profile this instance's consumer updated last (numbers of {@code engagement_changes}). */
    private final Cache<String, Long> ownChange;
    /**
     * Shoppers erased here lately: a batch committed just before their erasure may report its
     * profiles after the erasure emptied the cache, and must not put them back.
     */
    private final Cache<String, Boolean> erased;
    private final int warmAtStart;
    private final Counter servedKept;
    private final Counter readFromStore;

    ProfileService(ProfileStore store, ActiveModel model, ProfilesConfig config, DatabaseReads reads, ProfileCodec codec,
                   MeterRegistry registry) {
        this.store = store;
        this.model = model;
        this.codec = codec;
        this.reads = reads;
        this.warmAtStart = (int) Math.min(config.profileCacheWarm(), config.profileCacheSize());
        this.kept = Caffeine.newBuilder()
                .maximumSize(config.profileCacheSize())
                .expireAfterAccess(config.profileCacheIdle())
                .build();
        this.inTreatmentSpace = Caffeine.newBuilder()
                .maximumSize(config.profileCacheSize())
                .expireAfterAccess(config.profileCacheIdle())
                .build();
        this.lastChange = Caffeine.newBuilder().expireAfterWrite(Duration.ofMinutes(2)).build();
        this.ownChange = Caffeine.newBuilder().expireAfterWrite(Duration.ofMinutes(2)).build();
        this.erased = Caffeine.newBuilder().expireAfterWrite(Duration.ofMinutes(2)).build();
        this.servedKept = Counter.builder("tastemaker.profiles.lookups").tag("result", "kept")
                .description("Profiles a request found kept current in memory").register(registry);
        this.readFromStore = Counter.builder("tastemaker.profiles.lookups").tag("result", "read")
                .description("Profiles a request read from PostgreSQL (not kept, or changed elsewhere)").register(registry);
        Gauge.builder("tastemaker.profiles.kept", kept, Cache::estimatedSize)
                .description("Shoppers whose profile (or its absence) this process keeps in memory").register(registry);
    }

    /** Blocks on PostgreSQL when the profile is not kept current: call from worker threads. */
    public Optional<TasteProfile> find(String userId) {
        return find(kept, userId, known -> true, this::inActiveSpace);
    }

    /**
     * The profile in {@code serving}'s space: the active model's, or during an A/B experiment the
     * treatment's, recomputed from the profile's strongest items in the treatment's collection.
     */
    public Optional<TasteProfile> find(String userId, ActiveModel.Serving serving) {
        if (serving.version().equals(model.version())) {
            return find(userId);
        }
        return find(inTreatmentSpace, userId,
                known -> known.modelVersion() == null || known.modelVersion().equals(serving.version()),
                p -> expressedIn(p, serving));
    }

    /**
     * The profile kept {@code in} when current and {@code usable}, else read from PostgreSQL and
     * {@code expressed} in the space that cache keeps; a kept one, changed or not, when PostgreSQL cannot answer.
     */
    private Optional<TasteProfile> find(Cache<String, Kept> in, String userId, Predicate<Kept> usable,
                                        UnaryOperator<TasteProfile> expressed) {
        Kept known = in.getIfPresent(userId);
        if (known != null && known.current() && usable.test(known)) {
            servedKept.increment();
            return known.profile(userId, codec);
        }
        readFromStore.increment();
        long asOf = changes.get();
        Optional<TasteProfile> read;
        try {
            read = reads.read(() -> store.profile(userId)).map(expressed);
        } catch (RuntimeException e) {
            if (known != null) {
                return known.profile(userId, codec); // as it was beats none while PostgreSQL cannot answer
            }
            throw e;
        }
        keep(in, userId, read, asOf);
        return read;
    }

    /** Keeps what was read, unless the shopper was erased or changed since the read began (numbered {@code asOf}). */
    private void keep(Cache<String, Kept> in, String userId, Optional<TasteProfile> read, long asOf) {
        Kept fresh = Kept.of(read, codec);
        // compute, not put: a change's notice marks the entry under the same lock, so it cannot slip in between
        in.asMap().compute(userId, (id, before) -> unchangedSince(id, asOf) ? fresh : before);
    }

    private boolean unchangedSince(String userId, long asOf) {
        Long changed = lastChange.getIfPresent(userId);
        return lastChangeOfAll <= asOf && (changed == null || changed <= asOf) && erased.getIfPresent(userId) == null;
    }

    /**
     * Reads the profiles of the shoppers who engaged most recently, up to
     * {@code tastemaker.engagement.profile-cache-warm}, so that a serving process starts with its
     * regular shoppers' profiles in memory instead of sending each one's first request to
     * PostgreSQL (after a deploy, all of them at once; docs/operations.md). Blocking, in pages; a
     * profile kept current or changed meanwhile is left as it is, and one of another model's space
     * is left to be re-expressed when asked. The engagement changes' poller calls this when it
     * reads everything (its first poll, a rebuild).
     */
    public void warm() {
        if (warmAtStart == 0) {
            return;
        }
        long began = System.nanoTime();
        List<String> recent = reads.read(() -> store.recentlyUpdated(warmAtStart));
        String active = model.version();
        int warmed = 0;
        for (int from = 0; from < recent.size(); from += WARM_PAGE) {
            List<String> page = recent.subList(from, Math.min(recent.size(), from + WARM_PAGE));
            long asOf = changes.get();
            for (ProfileStore.Stored stored : reads.read(() -> store.stored(page))) {
                if (stored.modelVersion() != null && !stored.modelVersion().equals(active)) {
                    continue;
                }
                Kept fresh = Kept.of(stored);
                Kept now = kept.asMap().compute(stored.userId(),
                        (id, before) -> (before == null || !before.current()) && unchangedSince(id, asOf) ? fresh : before);
                if (now == fresh) {
                    warmed++;
                }
            }
        }
        LOG.infof("Profiles kept at start: %d of the %d shoppers who engaged most recently, read in %d ms", warmed,
                recent.size(), (System.nanoTime() - began) / 1_000_000);
    }

    /**
     * Called after this instance's engagement consumer committed these profiles, named as change
     * {@code changeSeq}: they are current as they are, until another change names their shoppers.
     */
    public void updated(Collection<TasteProfile> profiles, long changeSeq) {
        for (TasteProfile p : profiles) {
            if (erased.getIfPresent(p.userId()) != null) {
                continue;
            }
            lastChange.put(p.userId(), changes.incrementAndGet());
            ownChange.put(p.userId(), changeSeq);
            kept.put(p.userId(), Kept.of(Optional.of(inActiveSpace(p)), codec));
            inTreatmentSpace.invalidate(p.userId());
        }
    }

    /**
     * Called when change {@code changeSeq} named these shoppers: each is read again on its next
     * request, unless the change was this instance's own consumer's and its profile is as the change left it.
     */
    public void changed(long changeSeq, Collection<String> userIds) {
        for (String userId : userIds) {
            Long own = ownChange.getIfPresent(userId);
            if (own != null && own == changeSeq) {
                continue;
            }
            lastChange.put(userId, changes.incrementAndGet());
            kept.asMap().computeIfPresent(userId, (id, k) -> k.changed());
            inTreatmentSpace.asMap().computeIfPresent(userId, (id, k) -> k.changed());
        }
    }

    /** Called when what changed cannot be known (a rebuild, changes missed): every kept profile is read again when asked. */
    public void allChanged() {
        lastChangeOfAll = changes.incrementAndGet();
        kept.asMap().replaceAll((id, k) -> k.changed());
        inTreatmentSpace.asMap().replaceAll((id, k) -> k.changed());
    }

    /** Called after a shopper's erasure committed (here or elsewhere): this instance stops serving their profile at once. */
    public void forget(String userId) {
        erased.put(userId, true);
        lastChange.put(userId, changes.incrementAndGet());
        kept.invalidate(userId);
        inTreatmentSpace.invalidate(userId);
    }

    /** Drops every kept profile (a new active model: they are expressed in the previous one's space). */
    public void forgetAll() {
        lastChangeOfAll = changes.incrementAndGet();
        kept.invalidateAll();
        inTreatmentSpace.invalidateAll();
    }

    /** The profile with its vector in the active model's space, recomputed from its strongest items if needed. */
    public TasteProfile inActiveSpace(TasteProfile profile) {
        return expressedIn(profile, model.serving());
    }

    /** The profile with its vector in {@code serving}'s space, recomputed from its strongest items if needed. */
    public static TasteProfile expressedIn(TasteProfile profile, ActiveModel.Serving serving) {
        if (profile.modelVersion() == null || profile.modelVersion().equals(serving.version())) {
            return profile;
        }
        Map<String, float[]> vectors = new HashMap<>();
        for (VectorRecord r : serving.index().get(profile.items().keySet()).values()) {
            vectors.put(r.id(), r.vector());
        }
        profile.recompute(vectors, serving.version());
        return profile;
    }
}

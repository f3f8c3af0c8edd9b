package io.tastemaker.profiles;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.tastemaker.embedding.ActiveModel;
import io.tastemaker.vectors.VectorRecord;
import io.tastemaker.db.DatabaseReads;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Taste profiles for the request path: read from PostgreSQL, kept in memory for a short TTL
 * (an infinite-scroll session asks for the same profile page after page), and replaced at once
 * when this instance's own engagement consumer updates them. A profile built with another
 * embedding model than the active one is re-expressed in the active model's space on read.
 * When PostgreSQL cannot be read (down, hung: see {@link DatabaseReads}), a profile read earlier
 * is served as it was, for as long as the shopper keeps asking within
 * {@code tastemaker.engagement.profile-cache-stale-for}; without one the read fails and the list
 * goes on without a profile.
 */
@ApplicationScoped
public class ProfileService {

    private final ProfileStore store;
    private final ActiveModel model;
    private final ProfileCodec codec;

    /**
     * A profile (or its absence, {@code state} null) as read at {@code readAt} (nanoTime): fresh for
     * the TTL, then the fallback. Kept encoded as the store keeps it, a few arrays instead of a
     * profile's hundreds of small objects: kept a minute per active shopper for outages, the object
     * graphs were copied from survivor space to survivor space by every young collection, half of
     * each pause under load (docs/operations.md). Each read decodes its own copy, so no two requests
     * (or a request and the consumer) share a mutable profile.
     */
    private record Read(String state, byte[] vector, String modelVersion, long events, long readAt) {

        static Read of(Optional<TasteProfile> profile, ProfileCodec codec) {
            long now = System.nanoTime();
            return profile.map(p -> new Read(codec.state(p), p.vectorSum() == null ? null : ProfileCodec.bytes(p.vectorSum()),
                    p.modelVersion(), p.events(), now)).orElseGet(() -> new Read(null, null, null, 0, now));
        }

        Optional<TasteProfile> profile(String userId, ProfileCodec codec) {
            return state == null ? Optional.empty() : Optional.of(codec.read(userId, state, vector, modelVersion, events));
        }
    }

    private final DatabaseReads reads;
    private final long freshNanos;
    private final Cache<String, Read> cache;
    /** Profiles re-expressed for the treatment of an A/B experiment (one version at a time). */
    private final Cache<String, Optional<TasteProfile>> inTreatmentSpace;
    /**
     * Shoppers erased here lately: a batch committed just before their erasure may report its
     * profiles after the erasure emptied the cache, and must not put them back.
     */
    private final Cache<String, Boolean> erased;

    ProfileService(ProfileStore store, ActiveModel model, ProfilesConfig config, DatabaseReads reads, ProfileCodec codec) {
        this.store = store;
        this.model = model;
        this.codec = codec;
        this.reads = reads;
        this.freshNanos = config.profileCacheTtl().toNanos();
        this.cache = Caffeine.newBuilder()
                .maximumSize(config.profileCacheSize())
                .expireAfterAccess(config.profileCacheTtl().plus(config.profileCacheStaleFor()))
                .build();
        this.inTreatmentSpace = Caffeine.newBuilder()
                .maximumSize(config.profileCacheSize())
                .expireAfterWrite(config.profileCacheTtl())
                .build();
        this.erased = Caffeine.newBuilder()
                .expireAfterWrite(config.profileCacheTtl().plusMinutes(1))
                .build();
    }

    /** Blocks on PostgreSQL when the profile is not cached: call from worker threads. */
    public Optional<TasteProfile> find(String userId) {
        Read cached = cache.getIfPresent(userId);
        if (cached != null && System.nanoTime() - cached.readAt() < freshNanos) {
            return cached.profile(userId, codec);
        }
        Optional<TasteProfile> read;
        try {
            read = reads.read(() -> store.profile(userId)).map(this::inActiveSpace);
        } catch (RuntimeException e) {
            if (cached != null) {
                return cached.profile(userId, codec); // stale beats none while PostgreSQL cannot answer
            }
            throw e;
        }
        if (erased.getIfPresent(userId) == null) {
            cache.put(userId, Read.of(read, codec));
        }
        return read;
    }

    /**
     * The profile in {@code serving}'s space: the active model's, or during an A/B experiment the
     * treatment's, recomputed from the profile's strongest items in the treatment's collection.
     */
    public Optional<TasteProfile> find(String userId, ActiveModel.Serving serving) {
        if (serving.version().equals(model.version())) {
            return find(userId);
        }
        Optional<TasteProfile> cached = inTreatmentSpace.getIfPresent(userId);
        if (cached != null && cached.map(p -> p.modelVersion() == null || p.modelVersion().equals(serving.version()))
                .orElse(true)) {
            return cached;
        }
        Optional<TasteProfile> expressed;
        try {
            expressed = reads.read(() -> store.profile(userId)).map(p -> expressedIn(p, serving));
        } catch (RuntimeException e) {
            if (cached != null) {
                return cached;
            }
            throw e;
        }
        inTreatmentSpace.put(userId, expressed);
        return expressed;
    }

    /** Called after the engagement consumer committed these profiles. */
    public void updated(Collection<TasteProfile> profiles) {
        for (TasteProfile p : profiles) {
            if (erased.getIfPresent(p.userId()) != null) {
                continue;
            }
            cache.put(p.userId(), Read.of(Optional.of(inActiveSpace(p)), codec));
            inTreatmentSpace.invalidate(p.userId());
        }
    }

    /** Called after a shopper's erasure committed: this instance stops serving their profile at once. */
    public void forget(String userId) {
        erased.put(userId, true);
        cache.invalidate(userId);
        inTreatmentSpace.invalidate(userId);
    }

    public void forgetAll() {
        cache.invalidateAll();
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

package io.tastemaker.profiles;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Where taste profiles are kept. Profiles are built by the engagement consumer, which owns their
 * table and implements this port; the profile service only reads through it, so profiles do not
 * depend on engagement.
 */
public interface ProfileStore {

    /** The stored profile; blocking: worker threads only. */
    Optional<TasteProfile> profile(String userId);

    /**
     * The most recently updated profiles, up to {@code limit}: the shoppers whose engagement
     * trains and evaluates a model. Blocking.
     */
    List<TasteProfile> recentProfiles(int limit);

    /** The shoppers whose profiles were updated most recently, newest first, up to {@code limit}. Blocking. */
    List<String> recentlyUpdated(int limit);

    /** These shoppers' profiles as stored, undecoded (see {@link ProfileCodec}); a shopper without one is left out. Blocking. */
    List<Stored> stored(Collection<String> userIds);

    /** A profile as the store keeps it: its state document and vector bytes, not yet decoded. */
    record Stored(String userId, String state, byte[] vector, String modelVersion, long events) {
    }

    /**
     * Up to {@code limit} profiles in user-id order after {@code afterUserId} (from the first when
     * null), for exports that walk them all; never an erased shopper's. Blocking.
     */
    List<TasteProfile> profilesAfter(String afterUserId, int limit);
}

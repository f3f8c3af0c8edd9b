package io.tastemaker.models.registry;

import jakarta.enterprise.context.ApplicationScoped;

import java.util.Map;

/**
 * The feed blend each version asks for (the one its latest verdict chose), as this instance last
 * read it from the registry: refreshed by every {@link RegistryFollower} poll, so a promotion or
 * a rollback brings its version's weights and floor to every instance together with the version.
 * Read on the request path: memory only.
 */
@ApplicationScoped
public class VersionFeedWeights {

    private volatile Map<String, FeedBlend> byVersion = Map.of();

    /** The version's feed blend; {@link FeedBlend#NONE} when it has none (the configured one applies). */
    public FeedBlend of(String version) {
        return byVersion.getOrDefault(version, FeedBlend.NONE);
    }

    void refresh(Map<String, FeedBlend> read) {
        byVersion = Map.copyOf(read);
    }
}

package io.tastemaker.models.registry;

import jakarta.enterprise.context.ApplicationScoped;

import java.util.Map;

/**
 * The feed weights each version asks for (the ones its latest verdict chose), as this instance last
 * read them from the registry: refreshed by every {@link RegistryFollower} poll, so a promotion or
 * a rollback brings its version's weights to every instance together with the version. Read on the
 * request path: memory only.
 */
@ApplicationScoped
public class VersionFeedWeights {

    private volatile Map<String, Map<String, Double>> byVersion = Map.of();

    /** The version's feed weights by source name; empty when it has none (the configured ones apply). */
    public Map<String, Double> of(String version) {
        return byVersion.getOrDefault(version, Map.of());
    }

    void refresh(Map<String, Map<String, Double>> read) {
        Map<String, Map<String, Double>> copy = new java.util.HashMap<>();
        read.forEach((version, weights) -> copy.put(version, Map.copyOf(weights)));
        byVersion = Map.copyOf(copy);
    }
}

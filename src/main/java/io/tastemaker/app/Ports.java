package io.tastemaker.app;

import io.tastemaker.models.registry.ConfiguredFeedWeights;
import io.tastemaker.models.registry.VersionFeedWeights;
import io.tastemaker.recommend.BlendConfig;
import io.tastemaker.recommend.VersionWeights;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Ports whose two sides cannot see each other ({@code recommend} imports {@code models}, so a
 * {@code models} class cannot implement a {@code recommend} port, nor read its configuration):
 * the composition root joins them.
 */
@Singleton
public class Ports {

    /** Serving asks the registry for the feed weights of the version that serves a request. */
    @Produces
    @Singleton
    VersionWeights versionWeights(VersionFeedWeights weights) {
        return weights::of;
    }

    /** The gate's fallback: what a version serves with until a verdict chose its own weights. */
    @Produces
    @Singleton
    ConfiguredFeedWeights configuredFeedWeights(BlendConfig blend) {
        Map<String, Double> byName = new LinkedHashMap<>();
        blend.feed().weights().bySource().forEach((source, weight) -> byName.put(source.key(), weight));
        Map<String, Double> feed = Map.copyOf(byName);
        return () -> feed;
    }
}

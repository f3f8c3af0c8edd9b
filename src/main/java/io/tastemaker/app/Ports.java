package io.tastemaker.app;

import io.tastemaker.models.registry.FeedBlend;
import io.tastemaker.models.registry.VersionFeedWeights;
import io.tastemaker.recommend.VersionWeights;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * Ports whose two sides cannot see each other ({@code recommend} imports {@code models}, so a
 * {@code models} class cannot implement a {@code recommend} port):
 * the composition root joins them.
 */
@Singleton
public class Ports {

    /** Serving asks the registry for the feed weights and floor of the version that serves a request. */
    @Produces
    @Singleton
    VersionWeights versionWeights(VersionFeedWeights weights) {
        return version -> {
            FeedBlend stored = weights.of(version);
            return stored == FeedBlend.NONE ? VersionWeights.Asked.NONE
                    : new VersionWeights.Asked(stored.weights(), stored.coEngagementFloor());
        };
    }
}

package io.tastemaker.models.registry;

import java.util.Map;

/**
 * The feed weights the configuration gives ({@code tastemaker.blend.feed.*}), by source name: what
 * a version serves with until a verdict chose its own. Provided by the composition root, which
 * reads the blend configuration ({@code recommend} imports this package, so it cannot be read here).
 */
@FunctionalInterface
public interface ConfiguredFeedWeights {

    Map<String, Double> feed();
}

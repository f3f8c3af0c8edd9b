package io.tastemaker.recommend;

import java.util.Map;

/**
 * The feed weights a model version asks for, by source key ({@code similar}, {@code coEngagement}...):
 * the ones the evaluation gate chose for it, which travel with the version on promote and rollback.
 * Empty when the version asks for none: the configured {@code tastemaker.blend.feed.*} apply. Called on
 * the request path: an adapter answers from memory.
 */
@FunctionalInterface
public interface VersionWeights {

    Map<String, Double> feed(String version);
}

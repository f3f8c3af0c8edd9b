package io.tastemaker.recommend;

import io.tastemaker.recommend.sources.Source;

import java.util.EnumMap;
import java.util.Map;

/**
 * The feed blend a model version asks for: the weights (by source key, {@code similar},
 * {@code coEngagement}...) and co-engagement floor the evaluation gate chose for it, which travel
 * with the version on promote and rollback. {@link Asked#NONE} when the version asks for none: the
 * configured {@code tastemaker.blend.feed.*} and {@code co-engagement-floor} apply. Called on the
 * request path: an adapter answers from memory.
 */
@FunctionalInterface
public interface VersionWeights {

    Asked feed(String version);

    /**
     * @param weights           by source key; a key this build does not know is ignored
     * @param coEngagementFloor null: the configured floor applies
     */
    record Asked(Map<String, Double> weights, Double coEngagementFloor) {

        public static final Asked NONE = new Asked(Map.of(), null);

        public Asked {
            weights = Map.copyOf(weights);
        }

        public boolean isEmpty() {
            return weights.isEmpty() && coEngagementFloor == null;
        }

        /** The configured weights with what the version asks for on top. */
        Weights over(Weights configured) {
            Map<Source, Double> bySource = new EnumMap<>(Source.class);
            weights.forEach((key, weight) -> Source.byKey(key).ifPresent(source -> bySource.put(source, weight)));
            Weights asked = configured.with(bySource);
            return coEngagementFloor == null ? asked : asked.withFloor(Source.CO_ENGAGEMENT, coEngagementFloor);
        }
    }
}

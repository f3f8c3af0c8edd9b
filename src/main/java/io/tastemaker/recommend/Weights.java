package io.tastemaker.recommend;

import io.tastemaker.recommend.sources.Source;

import java.util.EnumMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * How much each source counts in a blend. A source without a weight (or weight 0) is not asked
 * at all, so a zero weight also saves its retrieval cost.
 */
public record Weights(Map<Source, Double> bySource) {

    public Weights {
        EnumMap<Source, Double> copy = new EnumMap<>(Source.class);
        bySource.forEach((source, weight) -> {
            if (weight != null && weight > 0) {
                copy.put(source, weight);
            }
        });
        bySource = Map.copyOf(copy);
    }

    public double of(Source source) {
        return bySource.getOrDefault(source, 0.0);
    }

    public boolean uses(Source source) {
        return of(source) > 0;
    }

    /** These weights with {@code override} applied on top (a source set to 0 is switched off). */
    public Weights with(Map<Source, Double> override) {
        Map<Source, Double> merged = new EnumMap<>(Source.class);
        merged.putAll(bySource);
        merged.putAll(override);
        return new Weights(merged);
    }

    @Override
    public String toString() {
        return bySource.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey().key() + ":" + e.getValue()).collect(Collectors.joining(","));
    }
}

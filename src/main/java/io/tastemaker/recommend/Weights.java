package io.tastemaker.recommend;

import io.tastemaker.recommend.sources.Source;

import java.util.EnumMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * How much each source counts in a blend. A source without a weight (or weight 0) is not asked
 * at all, so a zero weight also saves its retrieval cost.
 *
 * @param floors under score fusion, each source's floor under its normaliser (its scores are divided
 *               by {@code max(best, floor)}, {@link Fusion}); none: by its best score alone. Part of
 *               the weights because it is chosen with them: a floor shrinks a source's share as a
 *               lower weight would, but only for lists whose best score is small.
 */
public record Weights(Map<Source, Double> bySource, Map<Source, Double> floors) {

    public Weights {
        bySource = positive(bySource);
        floors = positive(floors);
    }

    public Weights(Map<Source, Double> bySource) {
        this(bySource, Map.of());
    }

    private static Map<Source, Double> positive(Map<Source, Double> values) {
        EnumMap<Source, Double> copy = new EnumMap<>(Source.class);
        values.forEach((source, value) -> {
            if (value != null && value > 0) {
                copy.put(source, value);
            }
        });
        return Map.copyOf(copy);
    }

    public double of(Source source) {
        return bySource.getOrDefault(source, 0.0);
    }

    public boolean uses(Source source) {
        return of(source) > 0;
    }

    /** The floor under the source's score normaliser; 0 when it has none. */
    public double floor(Source source) {
        return floors.getOrDefault(source, 0.0);
    }

    /** These weights with {@code override} applied on top (a source set to 0 is switched off); the floors kept. */
    public Weights with(Map<Source, Double> override) {
        Map<Source, Double> merged = new EnumMap<>(Source.class);
        merged.putAll(bySource);
        merged.putAll(override);
        return new Weights(merged, floors);
    }

    /** These weights with the source's normaliser floored at {@code floor} (0: no floor). */
    public Weights withFloor(Source source, double floor) {
        Map<Source, Double> merged = new EnumMap<>(Source.class);
        merged.putAll(floors);
        merged.put(source, floor);
        return new Weights(bySource, merged);
    }

    @Override
    public String toString() {
        String weights = bySource.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey().key() + ":" + e.getValue()).collect(Collectors.joining(","));
        return floors.isEmpty() ? weights : weights + floors.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> "; " + e.getKey().key() + " floor " + e.getValue()).collect(Collectors.joining());
    }
}

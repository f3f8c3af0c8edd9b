package io.tastemaker.recommend;

import io.tastemaker.api.InvalidInputException;

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

    /**
     * Reads a per-request override such as {@code coEngagement:2,trending:0} (for experiments),
     * naming the {@code field} when it is wrong.
     */
    public static Map<Source, Double> parseOverride(String field, String text) {
        Map<String, Double> byKey = new java.util.LinkedHashMap<>();
        if (text != null && !text.isBlank()) {
            for (String part : text.split(",")) {
                String[] kv = part.split(":", 2);
                double weight;
                try {
                    weight = kv.length == 2 ? Double.parseDouble(kv[1].trim()) : Double.NaN;
                } catch (NumberFormatException e) {
                    weight = Double.NaN;
                }
                byKey.put(kv[0].trim(), weight);
            }
        }
        return override(field, byKey);
    }

    /** The same override given as a map of source keys to weights (a JSON body). */
    public static Map<Source, Double> override(String field, Map<String, Double> byKey) {
        Map<Source, Double> override = new EnumMap<>(Source.class);
        if (byKey == null) {
            return override;
        }
        String known = java.util.Arrays.stream(Source.values()).map(Source::key).collect(Collectors.joining(", "));
        byKey.forEach((key, weight) -> {
            Source source = Source.byKey(key).orElseThrow(() -> new InvalidInputException(field,
                    "names an unknown source '" + key + "'; sources are " + known));
            if (weight == null || !(weight >= 0 && weight <= 1000)) {
                throw new InvalidInputException(field, "must look like 'coEngagement:2,trending:0' with weights from 0 to 1000");
            }
            override.put(source, weight);
        });
        return override;
    }

    @Override
    public String toString() {
        return bySource.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey().key() + ":" + e.getValue()).collect(Collectors.joining(","));
    }
}

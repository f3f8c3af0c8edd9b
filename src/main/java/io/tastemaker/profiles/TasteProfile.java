package io.tastemaker.profiles;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A shopper's taste: the time-decayed weighted sum of the vectors of the products they engaged
 * with (its direction is what the feed searches for), the strongest items, categories and
 * brands, the recent items, and what they hid or bought. Every decayed value is expressed as of
 * {@link #asOf()}, the latest event time, so a profile depends only on its events and their
 * order, never on when they were processed: a replay rebuilds it exactly.
 * <p>Plain Java: no framework type, so the ranking core can use it and tests need nothing.
 */
public final class TasteProfile {

    public static final int MAX_ITEMS = 50;
    public static final int MAX_RECENT = 20;
    public static final int MAX_KEYS = 20;
    public static final int MAX_EXCLUDED = 500;

    /** One engagement as the profile remembers it. */
    public record Recent(String productId, String type, Instant occurredAt, String sessionId, String boardId) {
    }

    /** What an event contributes: its weight and what is known about its product (vector may be null). */
    public record Engagement(String productId, String type, double weight, Instant occurredAt, String sessionId,
                             String boardId, float[] vector, String category, String brand) {
    }

    private final String userId;
    private Instant asOf;
    private float[] vectorSum;
    private String modelVersion;
    private final Map<String, Double> items;
    private final Map<String, Double> categories;
    private final Map<String, Double> brands;
    private final Deque<Recent> recent;
    private final LinkedHashSet<String> hidden;
    private final LinkedHashSet<String> purchased;
    private long events;

    public TasteProfile(String userId) {
        this(userId, null, null, null, Map.of(), Map.of(), Map.of(), List.of(), List.of(), List.of(), 0);
    }

    public TasteProfile(String userId, Instant asOf, float[] vectorSum, String modelVersion, Map<String, Double> items,
                        Map<String, Double> categories, Map<String, Double> brands, List<Recent> recent,
                        List<String> hidden, List<String> purchased, long events) {
        this.userId = userId;
        this.asOf = asOf;
        this.vectorSum = vectorSum;
        this.modelVersion = modelVersion;
        this.items = new HashMap<>(items);
        this.categories = new HashMap<>(categories);
        this.brands = new HashMap<>(brands);
        this.recent = new ArrayDeque<>(recent);
        this.hidden = new LinkedHashSet<>(hidden);
        this.purchased = new LinkedHashSet<>(purchased);
        this.events = events;
    }

    /**
     * Adds one engagement. Events may arrive late: an event older than {@link #asOf()} counts
     * with the decay it would have had by now.
     */
    public void apply(Engagement e, Duration halfLife, String activeModel) {
        double contribution = e.weight();
        if (asOf == null || e.occurredAt().isAfter(asOf)) {
            if (asOf != null) {
                scale(decay(Duration.between(asOf, e.occurredAt()), halfLife));
            }
            asOf = e.occurredAt();
        } else {
            contribution *= decay(Duration.between(e.occurredAt(), asOf), halfLife);
        }
        if (e.vector() != null) {
            if (vectorSum == null || !activeModel.equals(modelVersion) || vectorSum.length != e.vector().length) {
                vectorSum = new float[e.vector().length];
                modelVersion = activeModel;
            }
            for (int i = 0; i < vectorSum.length; i++) {
                vectorSum[i] += (float) (contribution * e.vector()[i]);
            }
        }
        add(items, e.productId(), contribution, MAX_ITEMS);
        if (e.category() != null) {
            add(categories, e.category(), contribution, MAX_KEYS);
        }
        if (e.brand() != null) {
            add(brands, e.brand(), contribution, MAX_KEYS);
        }
        switch (e.type()) {
            case "hide" -> remember(hidden, e.productId());
            case "purchase" -> remember(purchased, e.productId());
            default -> {
            }
        }
        if (!"hide".equals(e.type())) {
            recent.addFirst(new Recent(e.productId(), e.type(), e.occurredAt(), e.sessionId(), e.boardId()));
            while (recent.size() > MAX_RECENT) {
                recent.removeLast();
            }
        }
        events++;
    }

    /**
     * Rebuilds the vector in another model's space from the strongest items (a new model was
     * promoted). Items without a vector in that space are left out.
     */
    public void recompute(Map<String, float[]> vectors, String version) {
        float[] sum = null;
        for (Map.Entry<String, Double> item : items.entrySet()) {
            float[] v = vectors.get(item.getKey());
            if (v == null) {
                continue;
            }
            if (sum == null) {
                sum = new float[v.length];
            }
            for (int i = 0; i < sum.length; i++) {
                sum[i] += (float) (item.getValue() * v[i]);
            }
        }
        vectorSum = sum;
        modelVersion = version;
    }

    /** The unit-length taste direction, or null when nothing with a vector was engaged (or it cancels out). */
    public float[] direction() {
        if (vectorSum == null) {
            return null;
        }
        double norm = 0;
        for (float x : vectorSum) {
            norm += x * x;
        }
        if (norm < 1e-12) {
            return null;
        }
        float[] unit = new float[vectorSum.length];
        double inv = 1 / Math.sqrt(norm);
        for (int i = 0; i < unit.length; i++) {
            unit[i] = (float) (vectorSum[i] * inv);
        }
        return unit;
    }

    /** Products the feed must not show: hidden ones and bought ones. */
    public Set<String> excluded() {
        Set<String> excluded = new LinkedHashSet<>(hidden);
        excluded.addAll(purchased);
        return excluded;
    }

    /** The strongest keys, strongest first, as decayed weights as of {@link #asOf()}. */
    public static List<Map.Entry<String, Double>> strongest(Map<String, Double> weights, int limit) {
        return weights.entrySet().stream()
                .filter(e -> e.getValue() > 0)
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(limit)
                .toList();
    }

    static double decay(Duration age, Duration halfLife) {
        return Math.pow(0.5, (double) age.toMillis() / halfLife.toMillis());
    }

    private void scale(double factor) {
        if (vectorSum != null) {
            for (int i = 0; i < vectorSum.length; i++) {
                vectorSum[i] *= (float) factor;
            }
        }
        items.replaceAll((k, v) -> v * factor);
        categories.replaceAll((k, v) -> v * factor);
        brands.replaceAll((k, v) -> v * factor);
    }

    /** Adds to a bounded map, dropping the weakest key (by magnitude, then name) when it overflows. */
    private static void add(Map<String, Double> weights, String key, double amount, int max) {
        weights.merge(key, amount, Double::sum);
        if (weights.size() > max) {
            weights.entrySet().stream()
                    .min(Comparator.<Map.Entry<String, Double>>comparingDouble(en -> Math.abs(en.getValue()))
                            .thenComparing(Map.Entry.comparingByKey()))
                    .ifPresent(weakest -> weights.remove(weakest.getKey()));
        }
    }

    private static void remember(LinkedHashSet<String> set, String id) {
        set.remove(id);
        set.add(id);
        if (set.size() > MAX_EXCLUDED) {
            set.remove(set.iterator().next());
        }
    }

    public String userId() {
        return userId;
    }

    public Instant asOf() {
        return asOf;
    }

    public float[] vectorSum() {
        return vectorSum;
    }

    public String modelVersion() {
        return modelVersion;
    }

    public Map<String, Double> items() {
        return Map.copyOf(items);
    }

    public Map<String, Double> categories() {
        return Map.copyOf(categories);
    }

    public Map<String, Double> brands() {
        return Map.copyOf(brands);
    }

    /** Most recent first. */
    public List<Recent> recent() {
        return List.copyOf(recent);
    }

    /**
     * The newest engagement with each of the last {@code max} distinct products, most recent
     * first: the anchors of "because you pinned X" and what the assistant is told about a shopper.
     */
    public List<Recent> recentDistinct(int max) {
        Map<String, Recent> newest = new LinkedHashMap<>();
        for (Recent r : recent) {
            if (newest.size() == max) {
                break;
            }
            newest.putIfAbsent(r.productId(), r);
        }
        return List.copyOf(newest.values());
    }

    public List<String> hidden() {
        return new ArrayList<>(hidden);
    }

    public List<String> purchased() {
        return new ArrayList<>(purchased);
    }

    public long events() {
        return events;
    }
}

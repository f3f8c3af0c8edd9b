package io.tastemaker.recommend;

import io.tastemaker.merchandising.Rule;
import io.tastemaker.merchandising.RuleEngine;
import io.tastemaker.recommend.sources.Source;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The reasons of a ranked list, each item's led by what sets it apart from the rest of the list.
 * The strongest source of a feed (likeness to the shopper's latest item) is usually the strongest
 * for every item, so "strongest first" told the shopper the same thing twenty times. Instead an
 * item leads with the source whose contribution rises furthest above that source's typical level
 * in the list (its median over the list's items, 0 where the source did not propose the item);
 * when no source rises above its typical level, the strongest leads as before. The other sources'
 * reasons follow, strongest first, then what merchandising did. Plain Java.
 */
final class Explanations {

    private Explanations() {
    }

    /**
     * The reasons of each item of a list, in the list's order.
     *
     * @param fused   each item's fused contributions (null for a product no source proposed, e.g. a pinned one)
     * @param applied the merchandising rules applied to each item
     */
    static List<List<Reason>> of(List<Fusion.Fused> fused, List<List<RuleEngine.Applied>> applied) {
        Map<Source, Double> typical = typicalLevels(fused);
        List<List<Reason>> reasons = new ArrayList<>(fused.size());
        for (int i = 0; i < fused.size(); i++) {
            reasons.add(reasons(fused.get(i), applied.get(i), typical));
        }
        return reasons;
    }

    /** Each source's median contribution over the list's items (0 for items it did not propose). */
    static Map<Source, Double> typicalLevels(List<Fusion.Fused> fused) {
        Map<Source, double[]> values = new EnumMap<>(Source.class);
        for (int i = 0; i < fused.size(); i++) {
            Fusion.Fused f = fused.get(i);
            if (f == null) {
                continue;
            }
            for (Fusion.Contribution c : f.contributions()) {
                values.computeIfAbsent(c.source(), s -> new double[fused.size()])[i] += c.value();
            }
        }
        Map<Source, Double> typical = new EnumMap<>(Source.class);
        values.forEach((source, v) -> typical.put(source, median(v)));
        return typical;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static List<Reason> reasons(Fusion.Fused fused, List<RuleEngine.Applied> applied, Map<Source, Double> typical) {
        List<Reason> reasons = new ArrayList<>(4);
        if (fused != null) {
            // contributions come strongest first; the most distinctive one, if any, moves to the front
            Fusion.Contribution lead = null;
            double bestExcess = 0;
            for (Fusion.Contribution c : fused.contributions()) {
                double excess = c.value() - typical.getOrDefault(c.source(), 0.0);
                if (c.because() != null && excess > bestExcess) {
                    lead = c;
                    bestExcess = excess;
                }
            }
            if (lead != null) {
                add(reasons, lead);
            }
            fused.contributions().forEach(c -> add(reasons, c));
        }
        for (RuleEngine.Applied a : applied) {
            if (a.action() == Rule.Action.BOOST) {
                reasons.add(new Reason("merchandising", "boosted: " + a.ruleName()));
            } else if (a.action() == Rule.Action.PIN) {
                reasons.add(new Reason("merchandising", "pinned: " + a.ruleName()));
            }
        }
        return List.copyOf(reasons);
    }

    /** Adds a source's words unless it has none or the same words are already there. */
    private static void add(List<Reason> reasons, Fusion.Contribution c) {
        if (c.because() == null) {
            return;
        }
        for (Reason r : reasons) {
            if (r.detail().equals(c.because())) {
                return;
            }
        }
        reasons.add(new Reason(c.source().key(), c.because()));
    }
}

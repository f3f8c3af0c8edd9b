package io.tastemaker.recommend;

import io.tastemaker.merchandising.Rule;
import io.tastemaker.merchandising.RuleEngine;
import io.tastemaker.vectors.ProductPayload;
import io.tastemaker.vectors.VectorFilter;
import io.tastemaker.vectors.VectorIndex;
import io.tastemaker.vectors.VectorRecord;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns the sources' candidates into the list a shopper sees: fuse, look the products up
 * (vectors and fields, one index call per chunk), filter, apply merchandising rules, diversify,
 * and say why each product is there ({@link Explanations}). Plain Java over the index port: tests and the preview run exactly this.
 */
public final class Ranking {

    /**
     * A product in the final order, with why it is there; a pinned one must keep its position.
     * {@code ruleIds}: the merchandising rules that boosted, buried or pinned it (what its outcomes
     * are credited to).
     */
    public record Ranked(String productId, ProductPayload payload, double score, List<Reason> reasons,
                         boolean pinned, List<Long> ruleIds) {

        public Ranked {
            ruleIds = List.copyOf(ruleIds);
        }
    }

    /** The ranked window and what each merchandising rule did to it. */
    public record Result(List<Ranked> items, List<RuleEngine.Effect> effects) {
    }

    private final VectorIndex index;
    private final Fusion.Method method;
    private final Diversity.Settings diversity;

    public Ranking(VectorIndex index, Fusion.Method method, Diversity.Settings diversity) {
        this.index = index;
        this.method = method;
        this.diversity = diversity;
    }

    /**
     * The best {@code depth} products for this surface, diversified in the first {@code shown}
     * places (what the request shows or hands the LLM; the rest follow in relevance order).
     */
    public Result rank(Surface surface, Retrieval found, int depth, int shown, List<Rule> rules, Instant now) {
        VectorFilter filter = found.allowed();
        List<Fusion.Fused> fused = Fusion.fuse(found.lists(), found.weights(), method);
        Map<String, Fusion.Fused> byId = new HashMap<>();
        fused.forEach(f -> byId.put(f.productId(), f));
        LinkedHashMap<String, VectorRecord> kept = resolve(fused, found.records(), filter, depth);

        // a pinned product the sources did not find is still shown, if the request allows it
        Set<String> pinned = new java.util.HashSet<>(RuleEngine.pinnedProductIds(rules, surface.key(), now));
        pinned.removeAll(kept.keySet());
        if (!pinned.isEmpty()) {
            index.get(pinned).forEach((id, record) -> {
                if (filter.matches(id, record.payload())) {
                    kept.put(id, record);
                }
            });
        }
        List<RuleEngine.Slot> slots = new ArrayList<>(kept.size());
        kept.forEach((id, record) -> slots.add(new RuleEngine.Slot(id, record.payload(),
                byId.containsKey(id) ? byId.get(id).score() : 0)));
        RuleEngine.Placement outcome = RuleEngine.apply(rules, surface.key(), slots, now);

        List<Diversity.Item> items = new ArrayList<>(outcome.items().size());
        for (RuleEngine.Placed p : outcome.items()) {
            ProductPayload payload = p.slot().payload();
            items.add(new Diversity.Item(p.score(), kept.get(p.slot().productId()).vector(), payload.brand(),
                    payload.category(), pinned(p.applied())));
        }
        int[] order = Diversity.arrange(items, diversity, shown);
        List<Fusion.Fused> contributions = new ArrayList<>(order.length);
        List<List<RuleEngine.Applied>> applied = new ArrayList<>(order.length);
        for (int i : order) {
            RuleEngine.Placed p = outcome.items().get(i);
            contributions.add(byId.get(p.slot().productId()));
            applied.add(p.applied());
        }
        List<List<Reason>> reasons = Explanations.of(contributions, applied);
        List<Ranked> ranked = new ArrayList<>(order.length);
        for (int k = 0; k < order.length; k++) {
            RuleEngine.Placed p = outcome.items().get(order[k]);
            ranked.add(new Ranked(p.slot().productId(), p.slot().payload(), p.score(), reasons.get(k),
                    items.get(order[k]).fixed(), ruleIds(p.applied())));
        }
        return new Result(ranked, outcome.effects());
    }

    // loops rather than streams: called for every candidate of every list, and most have no rule applied
    private static boolean pinned(List<RuleEngine.Applied> applied) {
        for (RuleEngine.Applied a : applied) {
            if (a.action() == Rule.Action.PIN) {
                return true;
            }
        }
        return false;
    }

    private static List<Long> ruleIds(List<RuleEngine.Applied> applied) {
        return applied.isEmpty() ? List.of() : applied.stream().map(RuleEngine.Applied::ruleId).distinct().toList();
    }

    /**
     * The products behind the best fused candidates, in fused order, without those the filter
     * rejects or the index no longer has. Looked up in chunks until {@code depth} are kept:
     * sources that cannot filter (co-engagement) may propose many that do not match. Records
     * retrieval already read ({@code known}) are not looked up again.
     */
    private LinkedHashMap<String, VectorRecord> resolve(List<Fusion.Fused> fused, Map<String, VectorRecord> known,
                                                        VectorFilter filter, int depth) {
        LinkedHashMap<String, VectorRecord> kept = new LinkedHashMap<>();
        int from = 0;
        while (kept.size() < depth && from < fused.size()) {
            int to = Math.min(fused.size(), from + Math.max(depth - kept.size(), 20) + 20);
            List<String> ids = new ArrayList<>(to - from);
            List<String> unknown = new ArrayList<>();
            for (Fusion.Fused f : fused.subList(from, to)) {
                ids.add(f.productId());
                if (!known.containsKey(f.productId())) {
                    unknown.add(f.productId());
                }
            }
            Map<String, VectorRecord> looked = unknown.isEmpty() ? Map.of() : index.get(unknown);
            for (String id : ids) {
                VectorRecord record = known.containsKey(id) ? known.get(id) : looked.get(id);
                if (record != null && filter.matches(id, record.payload()) && kept.size() < depth) {
                    kept.put(id, record);
                }
            }
            from = to;
        }
        return kept;
    }
}

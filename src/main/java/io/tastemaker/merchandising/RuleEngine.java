package io.tastemaker.merchandising;

import io.tastemaker.vectors.ProductPayload;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Applies merchandising rules to one ranked list. Plain Java: no framework, no I/O.
 *
 * <p>Only rules that are enabled, inside their time window at {@code now} and scoped to the
 * surface take part. Conflicts resolve in this order:
 * <ol>
 *   <li><b>Block</b> removes every product it matches, whatever else matches that product (a
 *       blocked product is never boosted or pinned).</li>
 *   <li><b>Boost / bury</b>: per product at most one applies, the matching one that wins by
 *       {@link Rule#PRECEDENCE} (highest priority, then most recently updated, then lowest id).
 *       The product's score is multiplied by its factor, then the list is re-sorted by score,
 *       stably (equal scores keep their retrieval order).</li>
 *   <li><b>Pins</b> last, in {@link Rule#PRECEDENCE} order. A product pin pins that product if it
 *       is in the list; a brand, category or tag pin pins the best-ranked matching product that
 *       is not pinned yet. Positions are 1-based over the whole list; when a position is taken
 *       by a pin that came first, the product takes the next free position below it (then the
 *       nearest free one above, if none is free below). A position beyond the end of the list
 *       puts the product last. Unpinned products fill the other positions in score order.</li>
 * </ol>
 * A pin whose product is not in the list does nothing: callers that want product pins to
 * work on any request fetch {@link #pinnedProductIds} and append those products to the ranked
 * list (with a low score) before applying the rules.
 */
public final class RuleEngine {

    private static final Set<Rule.Action> BLOCKS = EnumSet.of(Rule.Action.BLOCK);
    private static final Set<Rule.Action> ADJUSTMENTS = EnumSet.of(Rule.Action.BOOST, Rule.Action.BURY);

    private RuleEngine() {
    }

    /** One ranked product as rules see it (best first on input). */
    public record Slot(String productId, ProductPayload payload, double score) {
    }

    /** A rule that touched a product. */
    public record Applied(long ruleId, String ruleName, Rule.Action action) {
    }

    /** A product in the outcome: its score after boosts and buries, and the rules that touched it, in order. */
    public record Placed(Slot slot, double score, List<Applied> applied) {
    }

    /** What one rule did: which products it boosted/buried/pinned/blocked. */
    public record Effect(long ruleId, String ruleName, Rule.Action action, List<String> productIds) {
    }

    /** The list after the rules (blocked products left out), and each effective rule's effect, in the order applied. */
    public record Placement(List<Placed> items, List<Effect> effects) {
    }

    public static Placement apply(List<Rule> rules, String surface, List<Slot> ranked, Instant now) {
        List<Rule> live = live(rules, surface, now);
        if (live.isEmpty()) {
            return new Placement(ranked.stream().map(s -> new Placed(s, s.score(), List.of())).toList(), List.of());
        }
        String[] keys = live.stream().map(r -> r.match().key()).toArray(String[]::new);
        Effects effects = new Effects(live);

        // 1. blocks; a product listed twice counts once, at its first (best) rank
        List<Working> kept = new ArrayList<>(ranked.size());
        Set<String> seen = new HashSet<>();
        for (Slot slot : ranked) {
            if (!seen.add(slot.productId())) {
                continue;
            }
            Entry candidate = new Entry(slot);
            int block = first(live, keys, candidate, BLOCKS);
            if (block >= 0) {
                effects.add(block, slot.productId());
            } else {
                kept.add(new Working(candidate, slot.score()));
            }
        }

        // 2. at most one boost or bury per product, then a stable re-sort by score
        for (Working item : kept) {
            int adjust = first(live, keys, item.candidate, ADJUSTMENTS);
            if (adjust >= 0) {
                item.score *= live.get(adjust).factor();
                item.applied.add(applied(live.get(adjust)));
                effects.add(adjust, item.candidate.slot.productId());
            }
        }
        kept.sort(Comparator.comparingDouble((Working w) -> w.score).reversed());

        // 3. pins, in precedence order
        int size = kept.size();
        Working[] pinnedAt = new Working[size];
        for (int r = 0; r < live.size() && size > 0; r++) {
            Rule pin = live.get(r);
            if (pin.action() != Rule.Action.PIN) {
                continue;
            }
            Working target = null;
            for (Working item : kept) {
                if (!item.pinned && item.candidate.matches(pin.match().type(), keys[r])) {
                    target = item;
                    break;
                }
            }
            if (target == null) {
                continue;
            }
            pinnedAt[freeIndex(pinnedAt, Math.min(pin.position(), size) - 1)] = target;
            target.pinned = true;
            target.applied.add(applied(pin));
            effects.add(r, target.candidate.slot.productId());
        }
        List<Placed> items = new ArrayList<>(size);
        Iterator<Working> unpinned = kept.stream().filter(w -> !w.pinned).iterator();
        for (Working fixed : pinnedAt) {
            Working item = fixed != null ? fixed : unpinned.next();
            items.add(new Placed(item.candidate.slot, item.score, List.copyOf(item.applied)));
        }
        return new Placement(Collections.unmodifiableList(items), effects.list());
    }

    /**
     * The products that live product-match pins ask for on this surface, so the caller can fetch
     * them when retrieval did not find them.
     */
    public static Set<String> pinnedProductIds(List<Rule> rules, String surface, Instant now) {
        return live(rules, surface, now).stream()
                .filter(r -> r.action() == Rule.Action.PIN && r.match().type() == Rule.Match.Type.PRODUCT)
                .map(r -> r.match().value())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** The rules that take part, in precedence order. */
    static List<Rule> live(List<Rule> rules, String surface, Instant now) {
        return rules.stream()
                .filter(r -> r.activeAt(now) && r.appliesTo(surface))
                .sorted(Rule.PRECEDENCE)
                .toList();
    }

    /** {@code wanted} if free, else the next free index below it, else the nearest free one above. */
    private static int freeIndex(Working[] placed, int wanted) {
        for (int i = wanted; i < placed.length; i++) {
            if (placed[i] == null) {
                return i;
            }
        }
        for (int i = wanted - 1; i >= 0; i--) {
            if (placed[i] == null) {
                return i;
            }
        }
        throw new IllegalStateException("more pins than products"); // each product is pinned at most once
    }

    /** Index (in {@code live}) of the first rule with one of {@code actions} that matches, or -1. */
    private static int first(List<Rule> live, String[] keys, Entry candidate, Set<Rule.Action> actions) {
        for (int r = 0; r < live.size(); r++) {
            Rule rule = live.get(r);
            if (actions.contains(rule.action()) && candidate.matches(rule.match().type(), keys[r])) {
                return r;
            }
        }
        return -1;
    }

    private static Applied applied(Rule rule) {
        return new Applied(rule.id(), rule.name(), rule.action());
    }

    /** A product's match keys, computed once however many rules look at it. */
    private static final class Entry {
        final Slot slot;
        private String brand;
        private Set<String> categories;
        private Set<String> tags;

        Entry(Slot slot) {
            this.slot = slot;
        }

        boolean matches(Rule.Match.Type type, String key) {
            ProductPayload p = slot.payload();
            return switch (type) {
                case PRODUCT -> slot.productId().equals(key);
                case BRAND -> p != null && p.brand() != null && key.equals(brand());
                case CATEGORY -> p != null && categories().contains(key);
                case TAG -> p != null && tags().contains(key);
            };
        }

        private String brand() {
            if (brand == null) {
                brand = ProductPayload.normalize(slot.payload().brand());
            }
            return brand;
        }

        private Set<String> categories() {
            if (categories == null) {
                categories = slot.payload().categoryKeys();
            }
            return categories;
        }

        private Set<String> tags() {
            if (tags == null) {
                tags = slot.payload().tags().stream().filter(t -> t != null).map(ProductPayload::normalize)
                        .collect(Collectors.toSet());
            }
            return tags;
        }
    }

    private static final class Working {
        final Entry candidate;
        final List<Applied> applied = new ArrayList<>(2);
        double score;
        boolean pinned;

        Working(Entry candidate, double score) {
            this.candidate = candidate;
            this.score = score;
        }
    }

    /** Effects per rule (by index in the live list): blocks, then boosts and buries, then pins, each in precedence order. */
    private static final class Effects {
        private final List<Rule> live;
        private final Map<Integer, List<String>> byRule = new HashMap<>();

        Effects(List<Rule> live) {
            this.live = live;
        }

        void add(int rule, String productId) {
            byRule.computeIfAbsent(rule, r -> new ArrayList<>()).add(productId);
        }

        List<Effect> list() {
            return byRule.entrySet().stream()
                    .sorted(Comparator.comparingInt((Map.Entry<Integer, List<String>> e) -> stage(live.get(e.getKey())))
                            .thenComparing(Map.Entry::getKey))
                    .map(e -> {
                        Rule rule = live.get(e.getKey());
                        return new Effect(rule.id(), rule.name(), rule.action(), List.copyOf(e.getValue()));
                    })
                    .toList();
        }

        private static int stage(Rule rule) {
            return switch (rule.action()) {
                case BLOCK -> 0;
                case BOOST, BURY -> 1;
                case PIN -> 2;
            };
        }
    }
}

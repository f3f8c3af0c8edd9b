package io.tastemaker.recommend.sources;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Scores summed over anchors ({@code anchor weight × score}), remembering for each product the
 * anchor that contributed most: the one its reason names. One mutable entry per product (three
 * maps of boxed doubles had been a tenth of a feed's allocation: a feed adds a few thousand scores).
 */
final class AnchoredScores {

    /** Best sum first, ties by product id: compared directly (composed comparators were a fifth of a feed's CPU). */
    private static final class Entry implements Comparable<Entry> {
        final String productId;
        double sum;
        double bestValue;
        Anchor bestAnchor;

        Entry(String productId) {
            this.productId = productId;
        }

        @Override
        public int compareTo(Entry other) {
            int bySum = Double.compare(other.sum, sum);
            return bySum != 0 ? bySum : productId.compareTo(other.productId);
        }
    }

    private final Map<String, Entry> entries = new HashMap<>();

    void add(String productId, Anchor anchor, double score) {
        double value = anchor.weight() * score;
        Entry entry = entries.computeIfAbsent(productId, Entry::new);
        entry.sum += value;
        if (value > entry.bestValue) {
            entry.bestValue = value;
            entry.bestAnchor = anchor;
        }
    }

    /** The best {@code limit} products; one no anchor added a positive value to is left out. */
    Retrieved top(Source source, int limit, Function<Anchor, String> because) {
        List<Entry> named = new ArrayList<>(entries.size());
        for (Entry e : entries.values()) {
            if (e.bestAnchor != null) {
                named.add(e);
            }
        }
        java.util.Collections.sort(named);
        List<Candidate> top = new ArrayList<>(Math.min(limit, named.size()));
        // a reason names only the anchor: one string per anchor, not one per candidate (hundreds per feed)
        Map<Anchor, String> reasons = new IdentityHashMap<>();
        for (Entry e : named.subList(0, Math.min(limit, named.size()))) {
            top.add(new Candidate(e.productId, e.sum, reasons.computeIfAbsent(e.bestAnchor, because)));
        }
        return new Retrieved(source, top);
    }
}

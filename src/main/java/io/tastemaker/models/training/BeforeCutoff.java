package io.tastemaker.models.training;

import io.tastemaker.profiles.TasteProfile;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The shoppers' engagement strictly before a cut-off, as the only thing the built-in fine-tuning
 * can build pairs from: the sequences are cut when this is made and never leave it, so a pair whose
 * positive (or anchor) was engaged with at or after the cut-off cannot be built, and the gate,
 * which scores only engagement after the cut-off, never judges a version on a transition it
 * learnt. Items are rows of the base-vector table, as {@link CoEngagementPairs} wants them.
 */
public final class BeforeCutoff {

    private final Instant cutOff;
    private final List<int[]> sequences;

    private BeforeCutoff(Instant cutOff, List<int[]> sequences) {
        this.cutOff = cutOff;
        this.sequences = sequences;
    }

    /**
     * Each shopper's recent products engaged with before {@code cutOff}, oldest first, as rows of
     * the base-vector table: a product not yet in {@code rows} gets the next row (products seen only
     * at or after the cut-off get none). Shoppers with nothing before it are left out.
     */
    public static BeforeCutoff of(List<TasteProfile> shoppers, Instant cutOff, Map<String, Integer> rows) {
        if (cutOff == null) {
            throw new IllegalArgumentException("a cut-off is required");
        }
        List<int[]> sequences = new ArrayList<>(shoppers.size());
        for (TasteProfile shopper : shoppers) {
            List<TasteProfile.Recent> recent = shopper.recent(); // newest first
            List<String> before = new ArrayList<>(recent.size());
            for (int i = recent.size() - 1; i >= 0; i--) {
                TasteProfile.Recent r = recent.get(i);
                if (r.occurredAt() != null && r.occurredAt().isBefore(cutOff)) {
                    before.add(r.productId());
                }
            }
            if (before.isEmpty()) {
                continue;
            }
            int[] sequence = new int[before.size()];
            for (int i = 0; i < sequence.length; i++) {
                sequence[i] = rows.computeIfAbsent(before.get(i), k -> rows.size());
            }
            sequences.add(sequence);
        }
        return new BeforeCutoff(cutOff, List.copyOf(sequences));
    }

    /** Engagement at or after this instant is not here. */
    public Instant cutOff() {
        return cutOff;
    }

    /** Shoppers with engagement before the cut-off. */
    public int shoppers() {
        return sequences.size();
    }

    /** Co-engagement pairs within the kept sequences ({@link CoEngagementPairs#build}, nothing held out: the cut-off did that). */
    public List<TrainingPair> pairs(int window, double stepDecay) {
        return CoEngagementPairs.build(sequences, 0, window, stepDecay);
    }

    /** The kept sequences (copies), for tests and reports. */
    List<int[]> sequences() {
        return sequences.stream().map(int[]::clone).toList();
    }
}

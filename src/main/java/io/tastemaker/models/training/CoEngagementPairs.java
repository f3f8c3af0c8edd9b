package io.tastemaker.models.training;

import java.util.ArrayList;
import java.util.List;

/**
 * Training pairs from engagement sequences: an item and each of the next {@code window} items the
 * same shopper engaged with (co-engagement), the k-th next one weighted {@code stepDecay^(k-1)}.
 * Every co-occurrence is its own pair (not merged), so frequent pairs are sampled more often
 * rather than weighted more; an item never pairs with itself.
 * <p>
 * The last {@code heldOut} items of every sequence are what an evaluation predicts: they are cut
 * off before any pair is built, so no pair can mention them through that sequence.
 */
public final class CoEngagementPairs {

    private CoEngagementPairs() {
    }

    /**
     * @param sequences items per shopper, oldest first, as rows of the vector table
     * @param heldOut   items at the end of each sequence that must not be learnt from
     *                  (2 when choosing hyper-parameters on the validation item, 1 for the test item)
     */
    public static List<TrainingPair> build(List<int[]> sequences, int heldOut, int window, double stepDecay) {
        if (heldOut < 0 || window < 1 || !(stepDecay > 0) || stepDecay > 1) {
            throw new IllegalArgumentException("heldOut >= 0, window >= 1, 0 < stepDecay <= 1");
        }
        List<TrainingPair> pairs = new ArrayList<>();
        for (int[] sequence : sequences) {
            int usable = sequence.length - heldOut;
            for (int i = 0; i < usable; i++) {
                double weight = 1;
                for (int j = i + 1; j < usable && j <= i + window; j++) {
                    if (sequence[j] != sequence[i]) {
                        pairs.add(new TrainingPair(sequence[i], sequence[j], weight));
                    }
                    weight *= stepDecay;
                }
            }
        }
        return pairs;
    }

    /**
     * The pair the built-in fine-tuning learns from a stored co-engagement link between two item
     * rows, weighted by the link's weight: a link is the sum of its co-occurrences, so one weighted
     * pair teaches what {@link #build} teaches with one pair per co-occurrence (the Beauty
     * validation search measured damping strong links with log(1 + weight) worse: 0.0440 NDCG@10
     * after 2 epochs, against 0.0472 for pairs per co-occurrence). Null for a link of an item to itself.
     */
    public static TrainingPair fromLink(int from, int to, double linkWeight) {
        return from == to || !(linkWeight > 0) ? null : new TrainingPair(from, to, linkWeight);
    }
}

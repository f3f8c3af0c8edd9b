package io.tastemaker.models.training;

import java.util.ArrayList;
import java.util.List;

/**
 * Training examples from engagement sequences, built the way the feed's "similar" source asks:
 * for each item a shopper engaged with, their {@code anchors} most recent distinct items before it
 * (newest first, weighted {@code anchorDecay^age}, as {@code Sources.recentAnchors}
 * weighs them) must find it. An item already among its anchors is skipped: the feed never shows
 * a shopper's anchors, so there is nothing to learn from it.
 * <p>
 * The last {@code heldOut} items of every sequence are what an evaluation predicts: they are cut
 * off before any example is built, so no example can mention them through that sequence.
 */
public final class NextItemExamples {

    private NextItemExamples() {
    }

    /**
     * @param sequences items per shopper, oldest first, as rows of the vector table
     * @param heldOut   items at the end of each sequence that must not be learnt from
     */
    public static List<TrainingExample> build(List<int[]> sequences, int heldOut, int anchors, double anchorDecay) {
        if (heldOut < 0 || anchors < 1 || !(anchorDecay > 0) || anchorDecay > 1) {
            throw new IllegalArgumentException("heldOut >= 0, anchors >= 1, 0 < anchorDecay <= 1");
        }
        List<TrainingExample> examples = new ArrayList<>();
        int[] context = new int[anchors];
        float[] weights = new float[anchors];
        for (int[] sequence : sequences) {
            int usable = sequence.length - heldOut;
            for (int t = 1; t < usable; t++) {
                int size = 0;
                double weight = 1;
                boolean anchoredOnItself = false;
                for (int i = t - 1; i >= 0 && size < anchors; i--) {
                    if (contains(context, size, sequence[i])) {
                        continue;
                    }
                    anchoredOnItself |= sequence[i] == sequence[t];
                    context[size] = sequence[i];
                    weights[size++] = (float) weight;
                    weight *= anchorDecay;
                }
                if (!anchoredOnItself) {
                    examples.add(new TrainingExample(java.util.Arrays.copyOf(context, size),
                            java.util.Arrays.copyOf(weights, size), sequence[t], 1));
                }
            }
        }
        return examples;
    }

    private static boolean contains(int[] items, int size, int item) {
        for (int i = 0; i < size; i++) {
            if (items[i] == item) {
                return true;
            }
        }
        return false;
    }
}

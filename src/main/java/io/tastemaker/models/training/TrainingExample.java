package io.tastemaker.models.training;

import java.util.Arrays;

/**
 * One example for the adapter in the shape the feed asks its question: the shopper's recent
 * items (newest first, each with the weight the "similar" source gives that anchor) and the item
 * they engaged with next. The adapted anchors, weighted and summed, must find the next item.
 * A {@link TrainingPair} is the example whose context is its one anchor.
 */
public record TrainingExample(int[] context, float[] contextWeights, int positive, double weight) {

    public TrainingExample {
        if (context.length == 0 || context.length != contextWeights.length) {
            throw new IllegalArgumentException("a context of at least one item, one weight per item");
        }
        for (int i = 0; i < context.length; i++) {
            if (context[i] < 0 || !(contextWeights[i] > 0)) {
                throw new IllegalArgumentException("item rows are non-negative, context weights positive");
            }
        }
        if (positive < 0) {
            throw new IllegalArgumentException("item rows are non-negative");
        }
        if (!(weight > 0) || Double.isInfinite(weight)) {
            throw new IllegalArgumentException("weight must be positive, was " + weight);
        }
    }

    public static TrainingExample of(TrainingPair pair) {
        return new TrainingExample(new int[]{pair.anchor()}, new float[]{1f}, pair.positive(), pair.weight());
    }

    boolean inContext(int item) {
        for (int c : context) {
            if (c == item) {
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TrainingExample e && e.positive == positive && e.weight == weight
                && Arrays.equals(e.context, context) && Arrays.equals(e.contextWeights, contextWeights);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(context) * 31 + positive;
    }

    @Override
    public String toString() {
        return "TrainingExample[" + Arrays.toString(context) + " " + Arrays.toString(contextWeights) + " → " + positive
                + ", weight " + weight + "]";
    }
}

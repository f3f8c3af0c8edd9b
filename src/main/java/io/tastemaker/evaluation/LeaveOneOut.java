package io.tastemaker.evaluation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The leave-one-out protocol of the published sequential-recommendation tables: each shopper's
 * last item is the test target, the second-to-last the validation target, everything before it
 * what a model may learn from. Weights are chosen on validation, never on test targets.
 */
public final class LeaveOneOut {

    public enum Target {
        /** Predict the second-to-last item from the ones before it. */
        VALIDATION(2),
        /** Predict the last item from all the others. */
        TEST(1);

        private final int heldOut;

        Target(int heldOut) {
            this.heldOut = heldOut;
        }

        /** How many items at the end of each sequence this target keeps from what a model learns from. */
        public int heldOut() {
            return heldOut;
        }
    }

    /** One prediction to make: the shopper's known history and the item they engaged with next. */
    public record Case(int user, int[] history, int target) {
    }

    private LeaveOneOut() {
    }

    public static List<Case> cases(Interactions data, Target target) {
        List<Case> cases = new ArrayList<>(data.sequences().size());
        for (int u = 0; u < data.sequences().size(); u++) {
            int[] items = data.sequences().get(u);
            int targetIndex = items.length - target.heldOut;
            if (targetIndex < 1) {
                continue; // nothing to predict from
            }
            cases.add(new Case(u, Arrays.copyOf(items, targetIndex), items[targetIndex]));
        }
        return cases;
    }

    /**
     * What a model may learn from when predicting {@code target}: every sequence without its
     * held-out items (for TEST the validation item is known history, as in the published protocol).
     */
    public static List<int[]> training(Interactions data, Target target) {
        List<int[]> training = new ArrayList<>(data.sequences().size());
        for (int[] items : data.sequences()) {
            training.add(Arrays.copyOf(items, Math.max(0, items.length - target.heldOut)));
        }
        return training;
    }
}

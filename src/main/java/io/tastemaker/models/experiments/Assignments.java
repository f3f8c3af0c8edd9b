package io.tastemaker.models.experiments;

import io.tastemaker.embedding.ActiveModel;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Which model version serves each shopper: the active one, or during an A/B experiment the
 * treatment for the shoppers the running {@link Split} puts there. Held in memory (set by
 * {@link Experiments} as it follows the registry) so every request is assigned without a query.
 */
@ApplicationScoped
public class Assignments {

    /** A shopper's model for one request: the serving version, or the treatment of a running experiment. */
    public record Assignment(ActiveModel.Serving serving, Split split, Variant variant) {

        public boolean inExperiment() {
            return split != null;
        }

        /** Counts a list of {@code shown} items served in this assignment's variant (nothing outside an experiment). */
        public void served(int shown) {
            if (split != null) {
                split.served(variant, shown);
            }
        }
    }

    private final ActiveModel model;
    private volatile Split split;

    Assignments(ActiveModel model) {
        this.model = model;
    }

    /**
     * The model for this shopper's request. Anonymous requests and shoppers outside a running
     * experiment's treatment get the serving version.
     */
    public Assignment assign(String userId) {
        Split current = split;
        ActiveModel.Serving active = model.serving();
        if (current == null || userId == null) {
            return new Assignment(active, null, Variant.CONTROL);
        }
        Variant variant = current.variantOf(userId);
        return new Assignment(variant == Variant.TREATMENT ? current.treatment() : active, current, variant);
    }

    /** The running experiment on this instance, or null. */
    public Split split() {
        return split;
    }

    /** Starts or, with null, ends the experiment on this instance. */
    void split(Split next) {
        split = next;
    }
}

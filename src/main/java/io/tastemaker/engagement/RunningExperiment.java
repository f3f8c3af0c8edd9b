package io.tastemaker.engagement;

import java.time.Instant;

/**
 * The A/B experiment running on this instance, as engagement counting sees it: its events are
 * counted per variant in the same transaction as everything else a batch changes. Experiments
 * themselves live in {@code models.experiments}, which implements this.
 */
public interface RunningExperiment {

    long id();

    /** Events before this are not the experiment's. */
    Instant startedAt();

    /** The variant {@code userId} is in, by its JSON name ("control", "treatment"). */
    String variantName(String userId);

    /** Port: which experiment runs here now. */
    interface Lookup {

        /** The running experiment, or null. */
        RunningExperiment current();
    }
}

package io.tastemaker.models.experiments;

import io.tastemaker.errors.Conflict;

/** Ending an experiment when none runs. */
public final class NoExperimentRunning extends Conflict {

    NoExperimentRunning() {
        super("No experiment is running.");
    }
}

package io.tastemaker.models.experiments;

import io.tastemaker.errors.NotFound;

/** Asking for a report when no experiment was ever started. */
public final class NoExperimentYet extends NotFound {

    NoExperimentYet() {
        super("No experiment was ever started.");
    }
}

package io.tastemaker.models.training;

import io.tastemaker.errors.Conflict;

/** A fine-tuning job for this version is already running. */
public final class FineTuneRunning extends Conflict {

    FineTuneRunning(String version) {
        super("a fine-tuning job for '" + version + "' is running");
    }
}

package io.tastemaker.models.training;

import io.tastemaker.errors.NotFound;

/** No fine-tuning job for this version was ever started. */
public final class UnknownFineTune extends NotFound {

    UnknownFineTune(String version) {
        super("No fine-tuning job for '" + version + "' was ever started.");
    }
}

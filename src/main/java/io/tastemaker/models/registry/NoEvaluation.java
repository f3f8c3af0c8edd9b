package io.tastemaker.models.registry;

import io.tastemaker.errors.NotFound;

/** The version was never evaluated. */
public final class NoEvaluation extends NotFound {

    NoEvaluation(String version) {
        super("Model version '" + version + "' has no evaluation yet: start one with POST /v1/models/" + version
                + "/evaluate.");
    }
}

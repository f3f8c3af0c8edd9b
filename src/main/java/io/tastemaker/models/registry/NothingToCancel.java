package io.tastemaker.models.registry;

import io.tastemaker.errors.Conflict;

/** The version's latest evaluation has already finished. */
public final class NothingToCancel extends Conflict {

    NothingToCancel(EvaluationJob latest) {
        super("The latest evaluation of '" + latest.version() + "' (job " + latest.id() + ") is "
                + latest.state().jsonName() + ": there is nothing to cancel.");
    }
}

package io.tastemaker.models.registry;

import io.tastemaker.errors.Conflict;

/** This instance runs one evaluation at a time: a second start is refused while one is queued or running. */
public final class EvaluationRunning extends Conflict {

    EvaluationRunning(EvaluationJob running) {
        super("An evaluation is already " + running.state().jsonName() + " on this instance: job " + running.id()
                + " of '" + running.version() + "'. Wait for it or cancel it (POST /v1/models/" + running.version()
                + "/evaluation:cancel).");
    }
}

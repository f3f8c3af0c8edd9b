package io.tastemaker.models.registry;

import io.tastemaker.errors.Conflict;

/** What the registry's current state refuses: a name taken, a version in the wrong state, nothing to roll back to. */
public final class VersionConflict extends Conflict {

    private VersionConflict(String message) {
        super(message);
    }

    private VersionConflict(String message, java.util.Map<String, Object> extensions) {
        super(message, extensions);
    }

    public static VersionConflict alreadyRegistered(String version) {
        return new VersionConflict("Model version '" + version + "' is already registered.");
    }

    /** {@code what} the version's state does not allow, e.g. "cannot be promoted: only a ready version can". */
    public static VersionConflict inState(ModelVersion v, String what) {
        return new VersionConflict("Model version '" + v.version() + "' is " + v.state().jsonName() + " and " + what + ".");
    }

    /** The evaluation gate's refusal, with both scores in its verdict; the answer carries the job as {@code evaluation}. */
    static VersionConflict worseThanActive(EvaluationJob judged) {
        return new VersionConflict("Not promoted: " + judged.verdict().summary() + ". Promote with force=true to override.",
                java.util.Map.of("evaluation", judged));
    }

    /** No finished verdict of the version against the active one: the gate must run first. */
    static VersionConflict notEvaluated(String version, String active, EvaluationJob latest) {
        String state = latest == null ? "it was never evaluated"
                : latest.state().unfinished() ? "its evaluation (job " + latest.id() + ") is " + latest.state().jsonName()
                : "its latest evaluation (job " + latest.id() + ") is " + latest.state().jsonName()
                + (latest.against() != null && !latest.against().equals(active) ? " against " + latest.against() : "");
        return new VersionConflict("Not promoted: '" + version + "' has no finished verdict against the active version '"
                + active + "' (" + state + "). Evaluate it first (POST /v1/models/" + version
                + "/evaluate), or promote with force=true to override.");
    }

    static VersionConflict neverPromoted() {
        return new VersionConflict("No model was ever promoted.");
    }

    static VersionConflict firstActive(String version) {
        return new VersionConflict("Version '" + version + "' is the first active version: there is nothing to roll back to.");
    }

    public static VersionConflict noActiveVersion() {
        return new VersionConflict("No version is active.");
    }
}

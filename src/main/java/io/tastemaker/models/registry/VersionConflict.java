package io.tastemaker.models.registry;

import io.tastemaker.errors.Conflict;

/** What the registry's current state refuses: a name taken, a version in the wrong state, nothing to roll back to. */
public final class VersionConflict extends Conflict {

    private VersionConflict(String message) {
        super(message);
    }

    public static VersionConflict alreadyRegistered(String version) {
        return new VersionConflict("Model version '" + version + "' is already registered.");
    }

    /** {@code what} the version's state does not allow, e.g. "cannot be promoted: only a ready version can". */
    public static VersionConflict inState(ModelVersion v, String what) {
        return new VersionConflict("Model version '" + v.version() + "' is " + v.state().jsonName() + " and " + what + ".");
    }

    /** The evaluation gate's refusal, with both scores in its verdict. */
    static VersionConflict worseThanActive(String verdict) {
        return new VersionConflict("Not promoted: " + verdict + ". Promote with force=true to override.");
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

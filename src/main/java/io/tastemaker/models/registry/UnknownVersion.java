package io.tastemaker.models.registry;

import io.tastemaker.errors.NotFound;

/** No model version of this name is registered. */
public final class UnknownVersion extends NotFound {

    public UnknownVersion(String version) {
        super("No model version '" + version + "' is registered.");
    }
}

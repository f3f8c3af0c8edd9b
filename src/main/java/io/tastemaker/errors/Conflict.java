package io.tastemaker.errors;

import java.util.Map;

/** The request is valid but the current state refuses it (a version not built yet, no experiment running...). */
public abstract class Conflict extends RuntimeException {

    private final Map<String, Object> extensions;

    protected Conflict(String message) {
        this(message, Map.of());
    }

    /** With members the answer carries beside the standard ones, e.g. the verdict that refused a promotion. */
    protected Conflict(String message, Map<String, Object> extensions) {
        super(message);
        this.extensions = Map.copyOf(extensions);
    }

    public Map<String, Object> extensions() {
        return extensions;
    }
}

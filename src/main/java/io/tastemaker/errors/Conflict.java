package io.tastemaker.errors;

/** The request is valid but the current state refuses it (a version not built yet, no experiment running...). */
public abstract class Conflict extends RuntimeException {

    protected Conflict(String message) {
        super(message);
    }
}

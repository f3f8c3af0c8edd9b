package io.tastemaker.errors;

/** The caller's copy is older than what is stored: someone changed it since it was read. */
public abstract class Stale extends RuntimeException {

    protected Stale(String message) {
        super(message);
    }
}

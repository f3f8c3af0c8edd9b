package io.tastemaker.errors;

/** Something the caller named does not exist (a model version, a rule...). The message says what. */
public abstract class NotFound extends RuntimeException {

    protected NotFound(String message) {
        super(message);
    }
}

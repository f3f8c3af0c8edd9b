package io.tastemaker.api;

/** One problem with one input field, named as the client wrote it (e.g. {@code price}, {@code tags[2]}). */
public record FieldError(String field, String message) {

    @Override
    public String toString() {
        return field + ": " + message;
    }
}

package io.tastemaker.api;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Input that breaks the contract; REST answers 400 with every field error, consumers dead-letter it. */
public class InvalidInputException extends RuntimeException {

    private final List<FieldError> errors;
    private final String detail;
    private final Map<String, Object> extensions;

    public InvalidInputException(List<FieldError> errors) {
        this(errors, null, Map.of());
    }

    public InvalidInputException(String field, String message) {
        this(List.of(new FieldError(field, message)));
    }

    /** With a detail of its own and extra problem members (e.g. how many items of a batch were accepted). */
    public InvalidInputException(List<FieldError> errors, String detail, Map<String, Object> extensions) {
        super(errors.stream().map(FieldError::toString).collect(Collectors.joining("; ")));
        this.errors = List.copyOf(errors);
        this.detail = detail;
        this.extensions = Map.copyOf(extensions);
    }

    public List<FieldError> errors() {
        return errors;
    }

    /** The problem's detail: the one given, or the errors spelled out. */
    public String detail() {
        return detail != null ? detail
                : "The request has " + errors.size() + " invalid field(s): " + getMessage();
    }

    public Map<String, Object> extensions() {
        return extensions;
    }
}

package io.tastemaker.security;

import io.tastemaker.api.FieldError;
import io.tastemaker.api.InvalidInputException;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.regex.Pattern;

/** What a caller asks a new key to be, checked the same way by the REST API and the {@code keys} command. */
public record KeySpec(String name, List<String> roles, Integer rateLimit, Instant expiresAt) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9 ._@-]{0,63}");
    static final int MAX_RATE_LIMIT = 100_000;

    /** The key to store, made by {@code createdBy}; throws naming every wrong field. */
    public ApiKeyStore.NewKey validated(String createdBy, Instant now) {
        List<FieldError> errors = new ArrayList<>();
        if (name == null || !NAME.matcher(name).matches()) {
            errors.add(new FieldError("name", "is required: 1 to 64 letters, digits, spaces or ._@- , starting with a letter"
                    + " or digit"));
        }
        if (roles == null || roles.isEmpty()) {
            errors.add(new FieldError("roles", "is required: one or more of " + String.join(", ", Roles.ALL)));
        } else {
            for (int i = 0; i < roles.size(); i++) {
                if (!Roles.known(roles.get(i))) {
                    errors.add(new FieldError("roles[" + i + "]", "must be one of " + String.join(", ", Roles.ALL)));
                }
            }
        }
        if (rateLimit != null && (rateLimit < 1 || rateLimit > MAX_RATE_LIMIT)) {
            errors.add(new FieldError("rateLimit", "must be between 1 and " + MAX_RATE_LIMIT + " requests per second"));
        }
        if (expiresAt != null && !expiresAt.isAfter(now)) {
            errors.add(new FieldError("expiresAt", "must be in the future"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        return new ApiKeyStore.NewKey(name, List.copyOf(new LinkedHashSet<>(roles)), rateLimit, expiresAt, createdBy);
    }
}

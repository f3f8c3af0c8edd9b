package io.tastemaker.security;

import io.quarkus.security.identity.SecurityIdentity;
import io.tastemaker.api.InvalidInputException;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Who did something, for audit trails: the authenticated principal ({@code key:<name>#<id>},
 * or {@code jwt:<name>} for a person signed in at the shop's identity provider), never a header
 * a caller can set. {@code X-Actor} survives only as an "on behalf of" note (a console acting for a
 * person, say), capped and free of control characters.
 */
public final class Actor {

    public static final String ON_BEHALF_OF_HEADER = "X-Actor";
    static final int MAX_ON_BEHALF_OF = 64;

    private Actor() {
    }

    public static String of(SecurityIdentity identity, String onBehalfOf) {
        String principal = identity == null || identity.isAnonymous() ? "anonymous"
                : identity.getPrincipal() instanceof JsonWebToken jwt ? "jwt:" + jwt.getName()
                : identity.getPrincipal().getName();
        if (onBehalfOf == null || onBehalfOf.isBlank()) {
            return principal;
        }
        String note = onBehalfOf.strip();
        if (note.length() > MAX_ON_BEHALF_OF) {
            throw new InvalidInputException(ON_BEHALF_OF_HEADER, "must be at most " + MAX_ON_BEHALF_OF + " characters, got "
                    + note.length());
        }
        if (note.chars().anyMatch(Character::isISOControl) || io.tastemaker.api.SafeText.problem(note) != null) {
            throw new InvalidInputException(ON_BEHALF_OF_HEADER, "must be plain text without control characters");
        }
        return principal + " for " + note;
    }
}

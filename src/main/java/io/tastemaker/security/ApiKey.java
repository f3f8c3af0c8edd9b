package io.tastemaker.security;

import java.time.Instant;
import java.util.List;

/**
 * A stored API key, without its secret: the secret is shown once, when the key is created, and
 * only its hash is kept. {@code rateLimit} (requests per second) overrides the role's default.
 */
public record ApiKey(long id, String name, String prefix, List<String> roles, Integer rateLimit, String createdBy,
                     Instant createdAt, Instant lastUsedAt, Instant expiresAt, Instant revokedAt) {

    /** Usable at {@code now}: neither revoked nor expired. */
    public boolean activeAt(Instant now) {
        return revokedAt == null && (expiresAt == null || now.isBefore(expiresAt));
    }

    /** How audit trails name whoever used this key. */
    public String principal() {
        return "key:" + name + "#" + id;
    }
}

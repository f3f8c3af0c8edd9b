package io.tastemaker.security;

import io.quarkus.security.identity.request.BaseAuthenticationRequest;

import java.util.Optional;

/**
 * An API key secret as a request carried it, to be checked by {@link ApiKeyIdentityProvider};
 * with the key {@link RequestGuard} already found for it, when it ran (null otherwise).
 */
public class ApiKeyAuthenticationRequest extends BaseAuthenticationRequest {

    private final String secret;
    private final Optional<ApiKey> found;

    public ApiKeyAuthenticationRequest(String secret, Optional<ApiKey> found) {
        this.secret = secret;
        this.found = found;
    }

    public String secret() {
        return secret;
    }

    Optional<ApiKey> found() {
        return found;
    }
}

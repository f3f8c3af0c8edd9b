package io.tastemaker.security;

import io.quarkus.security.identity.request.BaseAuthenticationRequest;

/** An API key secret as a request carried it, to be checked by {@link ApiKeyIdentityProvider}. */
public class ApiKeyAuthenticationRequest extends BaseAuthenticationRequest {

    private final String secret;

    public ApiKeyAuthenticationRequest(String secret) {
        this.secret = secret;
    }

    public String secret() {
        return secret;
    }
}

package io.tastemaker.security;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Optional;

/** Turns a key into an identity from the in-memory {@link ApiKeys}: no I/O, so it answers on the calling thread. */
@ApplicationScoped
public class ApiKeyIdentityProvider implements IdentityProvider<ApiKeyAuthenticationRequest> {

    /** The attribute holding the {@link ApiKey} an identity came from. */
    public static final String KEY_ATTRIBUTE = "tastemaker.api-key";

    private final ApiKeys keys;

    ApiKeyIdentityProvider(ApiKeys keys) {
        this.keys = keys;
    }

    @Override
    public Class<ApiKeyAuthenticationRequest> getRequestType() {
        return ApiKeyAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(ApiKeyAuthenticationRequest request, AuthenticationRequestContext context) {
        Optional<ApiKey> found = request.found() != null ? keys.recordUse(request.found()) : keys.authenticate(request.secret());
        return found
                .<Uni<SecurityIdentity>>map(key -> Uni.createFrom().item(QuarkusSecurityIdentity.builder()
                        .setPrincipal(new QuarkusPrincipal(key.principal()))
                        .addRoles(new java.util.HashSet<>(key.roles()))
                        .addAttribute(KEY_ATTRIBUTE, key)
                        .build()))
                .orElseGet(() -> Uni.createFrom().failure(
                        new AuthenticationFailedException("The API key is unknown, revoked or expired.")));
    }
}

package io.tastemaker.security;

import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.jwt.JsonWebToken;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Gives every identity our roles and nothing else. A JWT from the shop's identity provider
 * carries the provider's groups (its role claim, {@code smallrye.jwt.path.groups}): each is
 * mapped through {@code tastemaker.security.jwt-roles} (e.g. {@code shop-merch=merchandiser}),
 * a group already named like one of our roles counts as it, and any other group is dropped.
 * Then an operator, by key or by token, holds every role, so endpoints never list it.
 */
@ApplicationScoped
public class RoleAugmentor implements SecurityIdentityAugmentor {

    private final Map<String, String> jwtRoles;

    RoleAugmentor(SecurityConfig config) {
        this.jwtRoles = Map.copyOf(config.jwtRoles());
    }

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (identity.isAnonymous()) {
            return Uni.createFrom().item(identity);
        }
        Set<String> roles = identity.getPrincipal() instanceof JsonWebToken ? mapped(identity.getRoles())
                : new HashSet<>(identity.getRoles());
        if (roles.contains(Roles.OPERATOR)) {
            roles.addAll(Roles.ALL);
        }
        if (roles.equals(identity.getRoles())) {
            return Uni.createFrom().item(identity);
        }
        return Uni.createFrom().item(QuarkusSecurityIdentity.builder()
                .setPrincipal(identity.getPrincipal())
                .addCredentials(identity.getCredentials())
                .addAttributes(identity.getAttributes())
                .addRoles(roles)
                .build());
    }

    private Set<String> mapped(Set<String> groups) {
        Set<String> roles = new HashSet<>();
        for (String group : groups) {
            String role = jwtRoles.getOrDefault(group, group);
            if (Roles.known(role)) {
                roles.add(role);
            }
        }
        return roles;
    }
}

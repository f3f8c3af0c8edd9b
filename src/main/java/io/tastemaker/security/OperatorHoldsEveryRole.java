package io.tastemaker.security;

import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.HashSet;

/**
 * An operator may do everything, so an operator identity (a key or a JWT whose role claim maps
 * to operator) holds every role and endpoints never need to list it.
 */
@ApplicationScoped
public class OperatorHoldsEveryRole implements SecurityIdentityAugmentor {

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (identity.isAnonymous() || !identity.hasRole(Roles.OPERATOR) || identity.getRoles().containsAll(Roles.ALL)) {
            return Uni.createFrom().item(identity);
        }
        return Uni.createFrom().item(QuarkusSecurityIdentity.builder(identity).addRoles(new HashSet<>(Roles.ALL)).build());
    }
}

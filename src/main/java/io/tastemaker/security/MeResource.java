package io.tastemaker.security;

import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.common.annotation.NonBlocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;

/**
 * {@code GET /v1/me}: who the caller is and which roles it holds, for the console's sign-in
 * (it shows the person only the sections their roles may use). Answers every role; reveals
 * nothing the caller does not already hold.
 */
@Path("/v1/me")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Operations")
// every role (an operator holds them all)
@RolesAllowed({Roles.STOREFRONT, Roles.CATALOG, Roles.MERCHANDISER, Roles.DATA_SCIENTIST})
public class MeResource {

    /** The caller: its principal as audit trails name it, and its roles in the docs' order. */
    public record Me(String actor, List<String> roles) {
    }

    private final SecurityIdentity identity;

    MeResource(SecurityIdentity identity) {
        this.identity = identity;
    }

    @GET
    @NonBlocking
    @Operation(summary = "Who the caller is and its roles", description = "{\"actor\":\"key:maya#4\","
            + "\"roles\":[\"merchandiser\"]}; an operator holds every role. With X-Actor the actor reads"
            + " \"key:console#4 for Maya\", as audit trails will.")
    public Me me(@HeaderParam(Actor.ON_BEHALF_OF_HEADER) String onBehalfOf) {
        List<String> roles = Roles.ALL.stream().filter(identity::hasRole).toList();
        return new Me(Actor.of(identity, onBehalfOf), roles);
    }
}

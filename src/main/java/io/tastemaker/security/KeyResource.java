package io.tastemaker.security;

import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.common.annotation.Blocking;
import io.tastemaker.api.ApiException;
import io.tastemaker.api.InvalidInputException;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.net.URI;
import java.time.Instant;
import java.util.List;

/** API keys, for operators: create (the secret is shown once), list, revoke. */
@Blocking
@Path("/v1/admin/keys")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Operations")
@RolesAllowed(Roles.OPERATOR)
public class KeyResource {

    /** A key as the API shows it; {@code secret} only in the answer that created it. */
    public record KeyView(long id, String name, String prefix, List<String> roles, Integer rateLimit, String createdBy,
                          Instant createdAt, Instant lastUsedAt, Instant expiresAt, Instant revokedAt, String secret) {

        static KeyView of(ApiKey key, String secret) {
            return new KeyView(key.id(), key.name(), key.prefix(), key.roles(), key.rateLimit(), key.createdBy(),
                    key.createdAt(), key.lastUsedAt(), key.expiresAt(), key.revokedAt(), secret);
        }
    }

    private final ApiKeyStore store;
    private final ApiKeys keys;
    private final SecurityIdentity identity;

    KeyResource(ApiKeyStore store, ApiKeys keys, SecurityIdentity identity) {
        this.store = store;
        this.keys = keys;
        this.identity = identity;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create an API key", description = "Body {name, roles:[storefront|catalog|merchandiser|"
            + "data-scientist|operator], rateLimit? (requests/s), expiresAt?}. The answer holds the secret, shown this once.")
    public Response create(KeySpec body, @HeaderParam(Actor.ON_BEHALF_OF_HEADER) String onBehalfOf) {
        if (body == null) {
            throw new InvalidInputException("body", "is required: {\"name\": \"...\", \"roles\": [\"storefront\"]}");
        }
        ApiKeyStore.Created created = store.create(body.validated(Actor.of(identity, onBehalfOf), Instant.now()));
        keys.reload();
        return Response.created(URI.create("/v1/admin/keys/" + created.key().id()))
                .entity(KeyView.of(created.key(), created.secret())).build();
    }

    @GET
    @Operation(summary = "Every API key, newest first (never the secrets)")
    public List<KeyView> list() {
        return store.list().stream().map(k -> KeyView.of(k, null)).toList();
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Revoke an API key", description = "Refused on every instance within about a second.")
    public KeyView revoke(@PathParam("id") String id) {
        long keyId;
        try {
            keyId = Long.parseLong(id);
        } catch (NumberFormatException e) {
            throw new InvalidInputException("id", "must be a key id (a number)");
        }
        ApiKey revoked = store.revoke(keyId).orElseThrow(() -> ApiException.notFound("No API key has id " + keyId + "."));
        keys.reload();
        return KeyView.of(revoked, null);
    }
}

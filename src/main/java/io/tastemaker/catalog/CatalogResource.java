package io.tastemaker.catalog;

import io.tastemaker.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import io.tastemaker.api.ApiException;
import io.tastemaker.api.InvalidInputException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/**
 * The catalog API. Writes go to the catalog topic, exactly like records merchants publish
 * themselves, and answer 202 once the broker has them; the catalog consumer applies them.
 */
@Path("/v1/catalog")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Catalog")
@RolesAllowed(Roles.CATALOG)
public class CatalogResource {

    public static final String NDJSON = "application/x-ndjson";

    private final CatalogCodec codec;
    private final CatalogPublisher publisher;
    private final CatalogImporter importer;
    private final CatalogStore store;

    CatalogResource(CatalogCodec codec, CatalogPublisher publisher, CatalogImporter importer, CatalogStore store) {
        this.codec = codec;
        this.publisher = publisher;
        this.importer = importer;
        this.store = store;
    }

    @PUT
    @Path("/products/{productId}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create or replace a product", description = "Answers 202 once the catalog topic has the change.")
    public Uni<Response> put(@PathParam("productId") String productId, JsonNode body) {
        ProductValidator.validateId("productId", productId);
        if (body != null && body.hasNonNull("id") && !productId.equals(body.get("id").asText())) {
            throw new InvalidInputException("id", "must match the product id in the path ('" + productId + "')");
        }
        if (body != null && body.isObject()) {
            ((ObjectNode) body).put("id", productId);
        }
        Product product = codec.readProduct(body, "");
        return Uni.createFrom().completionStage(publisher.upsert(product))
                .map(ack -> Response.accepted(Map.of("productId", productId, "status", "accepted"))
                        .header("Location", "/v1/catalog/products/" + productId).build());
    }

    @GET
    @Path("/products/{productId}")
    @RolesAllowed({Roles.CATALOG, Roles.MERCHANDISER, Roles.DATA_SCIENTIST})
    @WithSession
    @Operation(summary = "Read a product as the catalog last applied it")
    public Uni<Product> get(@PathParam("productId") String productId) {
        ProductValidator.validateId("productId", productId);
        return store.find(productId).map(found -> found.orElseThrow(
                () -> ApiException.notFound("No product with id '" + productId + "' is in the catalog.")));
    }

    @DELETE
    @Path("/products/{productId}")
    @Operation(summary = "Delete a product", description = "Answers 202 once the catalog topic has the deletion.")
    public Uni<Response> delete(@PathParam("productId") String productId) {
        ProductValidator.validateId("productId", productId);
        return Uni.createFrom().completionStage(publisher.delete(productId))
                .map(ack -> Response.accepted(Map.of("productId", productId, "status", "accepted")).build());
    }

    @POST
    @Path("/products:import")
    @Consumes(NDJSON)
    @Operation(summary = "Import products from NDJSON, one product per line",
            description = "Streams the body; answers with accepted and rejected counts and each reject's line and reason.")
    public Response importProducts(InputStream body) throws IOException {
        ImportResult result = importer.importNdjson(body);
        return Response.accepted(result).build();
    }
}

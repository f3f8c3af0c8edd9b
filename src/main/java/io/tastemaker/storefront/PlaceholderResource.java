package io.tastemaker.storefront;

import io.smallrye.common.annotation.NonBlocking;
import io.tastemaker.api.InvalidInputException;
import io.tastemaker.catalog.ProductValidator;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * {@code GET /images/placeholder.svg?productId=…&title=…&category=…}: the tile the widget and
 * the demo shop show when a product's own image does not load. Anonymous on purpose: an
 * {@code <img>} cannot send a key, and the tile reveals nothing (it is drawn from the query
 * alone, with no look-up, and shows two initials at most). Not an API operation, so it stays
 * out of the OpenAPI document and the role table (docs/security.md lists it among the
 * anonymous assets). Drawn on the event loop: a few string operations, no I/O.
 */
@Path("/images")
@PermitAll
public class PlaceholderResource {

    static final int MAX_TEXT = 300;

    @GET
    @Path("/placeholder.svg")
    @Produces("image/svg+xml")
    @NonBlocking
    @Operation(hidden = true)
    public Response placeholder(@QueryParam("productId") String productId, @QueryParam("title") String title,
                                @QueryParam("category") String category) {
        if (productId == null || productId.isEmpty()) {
            throw new InvalidInputException("productId", "is required: the product whose image is missing");
        }
        ProductValidator.validateId("productId", productId);
        checkLength("title", title);
        checkLength("category", category);
        return Response.ok(PlaceholderImage.svg(productId, title, category))
                // the same query draws the same tile forever
                .header("Cache-Control", "public, max-age=604800, immutable")
                .header("X-Content-Type-Options", "nosniff")
                // opened on its own, the document may run nothing and load nothing
                .header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
                .build();
    }

    private static void checkLength(String field, String value) {
        if (value != null && value.length() > MAX_TEXT) {
            throw new InvalidInputException(field, "is longer than " + MAX_TEXT + " characters");
        }
    }
}

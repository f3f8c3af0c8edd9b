package io.tastemaker.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.tastemaker.errors.Conflict;
import io.tastemaker.errors.NotFound;
import io.tastemaker.errors.Stale;
import io.tastemaker.errors.Unavailable;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The one place that turns failures into problem+json answers: the domain's refusals
 * ({@link io.tastemaker.errors}) get their status here, and only here.
 */
public class ProblemMapper {

    private static final Logger LOG = Logger.getLogger(ProblemMapper.class);

    @ServerExceptionMapper
    public Response invalidInput(InvalidInputException e, UriInfo uri) {
        return problem(400, "Invalid request", e.detail(), uri, e.errors(), e.extensions());
    }

    /** Named for itself: REST's own mapper for this type would otherwise answer in its own format. */
    @ServerExceptionMapper
    public Response mismatchedJson(MismatchedInputException e, UriInfo uri) {
        return unreadableJson(e, uri);
    }

    @ServerExceptionMapper
    public Response unreadableJson(JsonProcessingException e, UriInfo uri) {
        String field = e instanceof JsonMappingException m ? jsonPath(m.getPath()) : "body";
        String message = e.getOriginalMessage();
        return problem(400, "Invalid request", "The body is not valid JSON for this endpoint: " + message, uri,
                List.of(new FieldError(field.isEmpty() ? "body" : field, message)), null);
    }

    @ServerExceptionMapper
    public Response notFound(NotFound e, UriInfo uri) {
        return problem(404, "Not Found", e.getMessage(), uri, null, null);
    }

    @ServerExceptionMapper
    public Response conflict(Conflict e, UriInfo uri) {
        return problem(409, "Conflict", e.getMessage(), uri, null, null);
    }

    @ServerExceptionMapper
    public Response stale(Stale e, UriInfo uri) {
        return problem(412, "Precondition Failed", e.getMessage(), uri, null, null);
    }

    @ServerExceptionMapper
    public Response unavailable(Unavailable e, UriInfo uri) {
        // asking again may work: say when, so clients back off instead of hammering
        return Response.fromResponse(problem(503, "Service Unavailable", e.getMessage(), uri, null, null))
                .header("Retry-After", "1").build();
    }

    /** What the REST resources refuse themselves (they are the HTTP layer, so they may pick a status). */
    @ServerExceptionMapper
    public Response api(ApiException e, UriInfo uri) {
        return problem(e.status(), e.title(), e.getMessage(), uri, null, null);
    }

    /** No credentials, or a key that is unknown, revoked or expired (or a token that does not verify). */
    @ServerExceptionMapper({UnauthorizedException.class, AuthenticationFailedException.class})
    public Response unauthenticated(RuntimeException e, UriInfo uri) {
        String detail = e instanceof AuthenticationFailedException
                ? "The credentials are unknown, revoked or expired."
                : "This endpoint needs an API key: send 'Authorization: Bearer <key>' or 'X-Api-Key: <key>'.";
        return Response.fromResponse(problem(401, "Unauthorized", detail, uri, null, null))
                .header("WWW-Authenticate", "Bearer realm=\"tastemaker\"").build();
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, UriInfo uri) {
        return problem(403, "Forbidden", "The caller's role may not use this endpoint.", uri, null, null);
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e, UriInfo uri) {
        int status = e.getResponse().getStatus();
        return problem(status, Response.Status.fromStatusCode(status) == null ? "Error"
                : Response.Status.fromStatusCode(status).getReasonPhrase(), e.getMessage(), uri, null, null);
    }

    @ServerExceptionMapper
    public Response unexpected(Exception e, UriInfo uri) {
        LOG.errorf(e, "unexpected failure on %s", uri.getPath());
        return problem(500, "Internal Server Error", "An unexpected error occurred; it has been logged.", uri, null, null);
    }

    /** {@code tags[2]}, {@code product.price}: a JSON location as clients name fields. */
    public static String jsonPath(List<JsonMappingException.Reference> path) {
        return path.stream()
                .map(r -> r.getFieldName() != null ? "." + r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining())
                .replaceFirst("^\\.", "");
    }

    private static Response problem(int status, String title, String detail, UriInfo uri, List<FieldError> errors,
                                    Map<String, Object> extensions) {
        String type = status == 400 ? "https://tastemaker.dev/problems/invalid-request" : "about:blank";
        return Response.status(status)
                .type(Problem.MEDIA_TYPE)
                .entity(new Problem(type, title, status, detail, uri.getPath(), errors, extensions))
                .build();
    }
}

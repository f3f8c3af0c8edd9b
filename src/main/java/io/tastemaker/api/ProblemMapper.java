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
        return respond(problemOf(e, uri.getPath()));
    }

    /** Named for itself: REST's own mapper for this type would otherwise answer in its own format. */
    @ServerExceptionMapper
    public Response mismatchedJson(MismatchedInputException e, UriInfo uri) {
        return unreadableJson(e, uri);
    }

    @ServerExceptionMapper
    public Response unreadableJson(JsonProcessingException e, UriInfo uri) {
        return respond(problemOf(e, uri.getPath()));
    }

    @ServerExceptionMapper
    public Response notFound(NotFound e, UriInfo uri) {
        return respond(problemOf(e, uri.getPath()));
    }

    @ServerExceptionMapper
    public Response conflict(Conflict e, UriInfo uri) {
        return respond(problemOf(e, uri.getPath()));
    }

    @ServerExceptionMapper
    public Response stale(Stale e, UriInfo uri) {
        return respond(problemOf(e, uri.getPath()));
    }

    @ServerExceptionMapper
    public Response unavailable(Unavailable e, UriInfo uri) {
        return Response.fromResponse(respond(problemOf(e, uri.getPath())))
                .header("Retry-After", retryAfterSeconds(e)).build();
    }

    /** What the REST resources refuse themselves (they are the HTTP layer, so they may pick a status). */
    @ServerExceptionMapper
    public Response api(ApiException e, UriInfo uri) {
        return respond(problemOf(e, uri.getPath()));
    }

    /** No credentials, or a key that is unknown, revoked or expired (or a token that does not verify). */
    @ServerExceptionMapper({UnauthorizedException.class, AuthenticationFailedException.class})
    public Response unauthenticated(RuntimeException e, UriInfo uri) {
        String detail = e instanceof AuthenticationFailedException
                ? "The credentials are unknown, revoked or expired."
                : "This endpoint needs an API key: send 'Authorization: Bearer <key>' or 'X-Api-Key: <key>'.";
        return Response.fromResponse(respond(problem(401, "Unauthorized", detail, uri.getPath(), null, null)))
                .header("WWW-Authenticate", "Bearer realm=\"tastemaker\"").build();
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, UriInfo uri) {
        return respond(problem(403, "Forbidden", "The caller's role may not use this endpoint.", uri.getPath(), null, null));
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e, UriInfo uri) {
        return respond(problemOf(e, uri.getPath()));
    }

    @ServerExceptionMapper
    public Response unexpected(Exception e, UriInfo uri) {
        return respond(problemOf(e, uri.getPath()));
    }

    /**
     * The problem document a failure answers with, for a whole answer (the mappers above) or for
     * one part of a batch that fails on its own while the others answer. Unexpected failures are
     * logged here, and their details never leave the service.
     */
    public static Problem problemOf(Throwable e, String instance) {
        if (e instanceof InvalidInputException invalid) {
            return problem(400, "Invalid request", invalid.detail(), instance, invalid.errors(), invalid.extensions());
        }
        if (e instanceof JsonProcessingException json) {
            String field = json instanceof JsonMappingException m ? jsonPath(m.getPath()) : "body";
            String message = json.getOriginalMessage();
            return problem(400, "Invalid request", "The body is not valid JSON for this endpoint: " + message, instance,
                    List.of(new FieldError(field.isEmpty() ? "body" : field, message)), null);
        }
        if (e instanceof NotFound) {
            return problem(404, "Not Found", e.getMessage(), instance, null, null);
        }
        if (e instanceof Conflict conflict) {
            return problem(409, "Conflict", e.getMessage(), instance, null, conflict.extensions());
        }
        if (e instanceof Stale) {
            return problem(412, "Precondition Failed", e.getMessage(), instance, null, null);
        }
        if (e instanceof Unavailable unavailable) {
            return problem(503, "Service Unavailable", e.getMessage(), instance, null, unavailable.extensions());
        }
        if (e instanceof ApiException api) {
            return problem(api.status(), api.title(), e.getMessage(), instance, null, null);
        }
        if (e instanceof WebApplicationException web) {
            int status = web.getResponse().getStatus();
            Response.Status known = Response.Status.fromStatusCode(status);
            return problem(status, known == null ? "Error" : known.getReasonPhrase(), e.getMessage(), instance, null, null);
        }
        LOG.errorf(e, "unexpected failure on %s", instance);
        return problem(500, "Internal Server Error", "An unexpected error occurred; it has been logged.", instance, null,
                null);
    }

    /** {@code Retry-After} in whole seconds, at least one. */
    public static long retryAfterSeconds(Unavailable e) {
        return Math.max(1, (e.retryAfter().toMillis() + 999) / 1000);
    }

    /** {@code tags[2]}, {@code product.price}: a JSON location as clients name fields. */
    public static String jsonPath(List<JsonMappingException.Reference> path) {
        return path.stream()
                .map(r -> r.getFieldName() != null ? "." + r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining())
                .replaceFirst("^\\.", "");
    }

    private static Problem problem(int status, String title, String detail, String instance, List<FieldError> errors,
                                   Map<String, Object> extensions) {
        String type = status == 400 ? "https://tastemaker.dev/problems/invalid-request" : "about:blank";
        return new Problem(type, title, status, detail, instance, errors, extensions);
    }

    private static Response respond(Problem problem) {
        return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem).build();
    }
}

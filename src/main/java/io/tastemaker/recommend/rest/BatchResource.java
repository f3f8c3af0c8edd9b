package io.tastemaker.recommend.rest;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.common.annotation.Blocking;
import io.tastemaker.admission.AdmissionFilter;
import io.tastemaker.api.FieldError;
import io.tastemaker.api.InvalidInputException;
import io.tastemaker.api.Problem;
import io.tastemaker.api.ProblemMapper;
import io.tastemaker.api.UserIds;
import io.tastemaker.catalog.CatalogStore;
import io.tastemaker.catalog.ProductValidator;
import io.tastemaker.errors.Unavailable;
import io.tastemaker.recommend.ListRequest;
import io.tastemaker.recommend.Listing;
import io.tastemaker.recommend.PageOfLists;
import io.tastemaker.recommend.RecommendationService;
import io.tastemaker.recommend.Recommendations;
import io.tastemaker.recommend.ShoppingRequest;
import io.tastemaker.recommend.Surface;
import io.tastemaker.resilience.Deadline;
import io.tastemaker.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;

/**
 * Several lists for one page view in one call ({@link PageOfLists}): each part is read by the
 * same rules as its single-list endpoint and answered or failed on its own; the request is
 * refused as a whole (400) only when its envelope is wrong. The path's colon is literal (as in
 * {@code /v1/catalog/products:import}): a custom method on the recommendations collection.
 */
@Blocking
@Path("/v1")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Storefront")
@RolesAllowed({Roles.STOREFRONT, Roles.MERCHANDISER, Roles.DATA_SCIENTIST})
public class BatchResource {

    static final String PATH = "/v1/recommendations:batch";
    static final int MAX_PARTS = 10;

    /** The body. {@code parts} is read part by part, so one malformed part fails alone. */
    public record BatchRequest(String userId, Boolean distinct, List<BatchPart> parts) {
    }

    /**
     * One list of the page: {@code surface} (feed, similar, search, assistant) with its subject
     * ({@code productId} for similar, {@code q} for search, {@code query} for the assistant), and
     * what the single-list endpoints take.
     */
    public record BatchPart(String surface, String placement, String productId, String q, String query,
                            ListFilters filters, Integer limit, String cursor, List<String> exclude,
                            Map<String, Double> weights, Boolean rerank) {
    }

    /** A part read and checked: what to ask, and how (its listing names its placement). */
    private record Prepared(ListRequest request, Listing listing) {
    }

    private final RecommendationService recommendations;
    private final CatalogStore catalog;
    private final AdmissionFilter admission;
    private final ExecutorService workers;
    private final ObjectMapper mapper;

    BatchResource(RecommendationService recommendations, CatalogStore catalog, AdmissionFilter admission,
                  ExecutorService workers, ObjectMapper mapper) {
        this.recommendations = recommendations;
        this.catalog = catalog;
        this.admission = admission;
        this.workers = workers;
        this.mapper = mapper;
    }

    @POST
    @Path("/recommendations:batch")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Several lists for one page view", description = "Up to " + MAX_PARTS + " parts, each a feed, "
            + "similar (productId), search (q) or assistant (query) list with its own placement, limit, cursor, "
            + "filters, exclude, weights and rerank, as the single-list endpoints take them. Each part is answered "
            + "(status 200 and its list) or fails on its own (its status and problem). With distinct (default true) "
            + "no product appears twice on the page: earlier parts keep theirs, later parts fill from their own "
            + "further candidates. When no part could be answered the batch itself fails: with the status its "
            + "parts share (the highest when they differ; Retry-After when they were all 503) and a problem "
            + "listing each part's problem under 'parts'.")
    @APIResponse(responseCode = "200", description = "at least one part answered",
            content = @Content(schema = @Schema(implementation = BatchResponse.class)))
    public CompletionStage<Response> batch(
            @RequestBody(content = @Content(schema = @Schema(implementation = BatchRequest.class))) JsonNode json) {
        if (json == null || !json.isObject()) {
            throw new InvalidInputException("body", "is required: {\"parts\": [{\"surface\": \"feed\"}, ...]}");
        }
        String userId = envelopeUser(json.get("userId"));
        boolean distinct = envelopeDistinct(json.get("distinct"));
        JsonNode parts = json.get("parts");
        if (parts == null || !parts.isArray() || parts.isEmpty() || parts.size() > MAX_PARTS) {
            throw new InvalidInputException("parts", "must be a list of 1 to " + MAX_PARTS + " parts, e.g. "
                    + "[{\"surface\": \"feed\"}, {\"surface\": \"similar\", \"productId\": \"p1\"}]");
        }

        Deadline deadline = recommendations.newDeadline();
        List<String> surfaces = new ArrayList<>(parts.size());
        List<PageOfLists.Part> work = new ArrayList<>(parts.size());
        for (int i = 0; i < parts.size(); i++) {
            JsonNode part = parts.get(i);
            surfaces.add(part.path("surface").isTextual() ? part.get("surface").asText() : null);
            try {
                Prepared prepared = prepare(i, part, userId);
                work.add(shownBefore -> answer(prepared, shownBefore, deadline));
            } catch (RuntimeException invalid) {
                work.add(shownBefore -> CompletableFuture.failedFuture(invalid));
            }
        }
        List<CompletableFuture<Recommendations>> answers = PageOfLists.answer(work, distinct, workers,
                new PageOfLists.Places() {
                    @Override
                    public boolean tryTake() {
                        return admission.tryEnterList();
                    }

                    @Override
                    public void giveBack() {
                        admission.leaveList();
                    }
                });
        return CompletableFuture.allOf(answers.stream().map(a -> a.exceptionally(failure -> null))
                        .toArray(CompletableFuture[]::new))
                .thenApply(done -> {
                    List<BatchResponse.Part> answered = new ArrayList<>(answers.size());
                    for (int i = 0; i < answers.size(); i++) {
                        answered.add(outcome(surfaces.get(i), answers.get(i)));
                    }
                    return answered.stream().anyMatch(p -> p.status() == 200)
                            ? Response.ok(new BatchResponse(answered), MediaType.APPLICATION_JSON).build()
                            : nothingAnswered(answered, answers);
                });
    }

    /**
     * A batch of which no part could be answered fails as a whole, so that monitors, load
     * balancers and retrying clients see the failure a 200 would hide.
     */
    private static Response nothingAnswered(List<BatchResponse.Part> parts,
                                            List<CompletableFuture<Recommendations>> answers) {
        int status = parts.stream().mapToInt(BatchResponse.Part::status).max().orElse(500);
        List<FieldError> errors = new ArrayList<>();
        for (BatchResponse.Part part : parts) {
            if (part.problem().errors() != null) {
                errors.addAll(part.problem().errors());
            }
        }
        Problem problem = new Problem(status == 400 ? "https://tastemaker.dev/problems/invalid-request" : "about:blank",
                "No part of the batch could be answered", status,
                parts.size() == 1 ? parts.get(0).problem().detail() : "Every part failed; each one's problem is under parts.",
                PATH, errors.isEmpty() ? null : errors,
                Map.of("parts", parts.stream().map(BatchResponse.Part::problem).toList()));
        Response.ResponseBuilder response = Response.status(status).type(Problem.MEDIA_TYPE).entity(problem);
        if (parts.stream().allMatch(p -> p.status() == 503)) {
            long seconds = 1;
            for (CompletableFuture<Recommendations> answer : answers) {
                Throwable cause = answer.handle((list, failure) -> failure).join();
                cause = cause instanceof java.util.concurrent.CompletionException && cause.getCause() != null
                        ? cause.getCause() : cause;
                if (cause instanceof Unavailable unavailable) {
                    seconds = Math.max(seconds, ProblemMapper.retryAfterSeconds(unavailable));
                }
            }
            response.header("Retry-After", seconds);
        }
        return response.build();
    }

    private CompletionStage<Recommendations> answer(Prepared part, Set<String> shownBefore, Deadline deadline) {
        Listing listing = part.listing();
        if (!shownBefore.isEmpty()) {
            Set<String> leftOut = new HashSet<>(listing.filter().excludeIds());
            leftOut.addAll(shownBefore);
            listing = new Listing(listing.filter().excluding(leftOut), listing.page(), listing.weightOverride(),
                    listing.rerank(), listing.placement());
        }
        ListRequest request = part.request();
        Listing asked = listing;
        return recommendations.answer(request, listing, deadline)
                .orElseGet(() -> RecommendationResource.notEmbeddedYet(recommendations, catalog, request.productId(), asked));
    }

    private static BatchResponse.Part outcome(String surface, CompletableFuture<Recommendations> answer) {
        try {
            return BatchResponse.Part.answered(surface, RecommendationResponse.of(answer.join()));
        } catch (java.util.concurrent.CompletionException | java.util.concurrent.CancellationException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            return BatchResponse.Part.failed(surface, ProblemMapper.problemOf(cause, PATH));
        }
    }

    /** Reads part {@code i}; every field it names is named from the top of the batch ({@code parts[1].limit}). */
    private Prepared prepare(int i, JsonNode json, String userId) {
        String at = "parts[" + i + "]";
        if (!json.isObject()) {
            throw new InvalidInputException(at, "must be an object such as {\"surface\": \"feed\"}");
        }
        BatchPart part;
        try {
            part = json.traverse(mapper).readValueAs(BatchPart.class);
        } catch (JsonMappingException e) {
            String field = ProblemMapper.jsonPath(e.getPath());
            throw new InvalidInputException(field.isEmpty() ? at : at + "." + field, e.getOriginalMessage());
        } catch (IOException e) {
            throw new InvalidInputException(at, e.getMessage());
        }
        try {
            return prepare(part, userId);
        } catch (InvalidInputException e) {
            throw new InvalidInputException(e.errors().stream()
                    .map(error -> new FieldError(error.field().equals("userId") ? "userId" : at + "." + error.field(),
                            error.message()))
                    .toList());
        }
    }

    private static Prepared prepare(BatchPart part, String userId) {
        Surface surface = ListingParser.surface("surface", part.surface());
        ListFilters filters = part.filters();
        ListRequest request = switch (surface) {
            case FEED -> {
                if (userId == null) {
                    throw new InvalidInputException("userId", "is required for a feed part: whose feed it is");
                }
                yield ListRequest.feed(userId);
            }
            case SIMILAR -> {
                if (part.productId() == null) {
                    throw new InvalidInputException("productId", "is required for a similar part: the product on screen");
                }
                ProductValidator.validateId("productId", part.productId());
                yield ListRequest.similar(part.productId(), userId);
            }
            case SEARCH -> {
                RecommendationResource.validateQuery("q", part.q());
                yield ListRequest.search(part.q(), userId);
            }
            case ASSISTANT -> {
                RecommendationResource.validateQuery("query", part.query());
                ShoppingRequest words = ShoppingRequest.read(part.query());
                filters = (filters == null ? ListFilters.NONE : filters)
                        .withPricesIfUnset(words.minPrice(), words.maxPrice());
                yield ListRequest.assistant(words.query(), userId);
            }
        };
        Listing listing = ListingParser.listing(filters, part.limit(), part.cursor(), part.exclude(), part.weights(),
                part.rerank(), part.placement());
        return new Prepared(request, listing);
    }

    private static String envelopeUser(JsonNode userId) {
        if (userId == null || userId.isNull()) {
            return null;
        }
        if (!userId.isTextual()) {
            throw new InvalidInputException("userId", "must be a string: the shopper's id");
        }
        UserIds.validate("userId", userId.asText());
        return userId.asText();
    }

    private static boolean envelopeDistinct(JsonNode distinct) {
        if (distinct == null || distinct.isNull()) {
            return true;
        }
        if (!distinct.isBoolean()) {
            throw new InvalidInputException("distinct", "must be true or false");
        }
        return distinct.asBoolean();
    }
}

package io.tastemaker.merchandising;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smallrye.mutiny.Uni;
import io.tastemaker.api.FieldError;
import io.tastemaker.api.InvalidInputException;
import io.quarkus.security.identity.SecurityIdentity;
import io.tastemaker.security.Actor;
import io.tastemaker.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Merchandising rules: list, create, read, replace, delete, and the audit trail of who changed
 * what. Every write is audited with the caller's identity (and the {@code X-Actor} note of whom
 * it acted for) and is in use on this instance
 * when the answer arrives, and on every other instance within the poll interval.
 */
@Path("/v1/merchandising")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Merchandising")
@RolesAllowed(Roles.MERCHANDISER)
public class RuleResource {

    static final String ACTOR = Actor.ON_BEHALF_OF_HEADER;
    static final int DEFAULT_AUDIT_LIMIT = 20;
    static final int MAX_AUDIT_LIMIT = 100;
    private static final String CURSOR_PREFIX = "a1:";
    private static final String RULE_EXAMPLE = """
            {"name": "Spring campaign", "action": "boost", "match": {"type": "category", "value": "Home > Garden"},
             "factor": 1.5, "surfaces": ["feed", "search"], "startsAt": "2027-03-01T00:00:00Z",
             "endsAt": "2027-04-01T00:00:00Z", "priority": 10, "note": "ticket MER-12"}""";

    private final RuleStore store;
    private final ActiveRules active;
    private final SecurityIdentity identity;

    RuleResource(RuleStore store, ActiveRules active, SecurityIdentity identity) {
        this.store = store;
        this.active = active;
        this.identity = identity;
    }

    @GET
    @Path("/rules")
    @Operation(summary = "List merchandising rules",
            description = "Every rule, oldest first. active=true keeps the rules enabled and inside their time window "
                    + "now; active=false the others.")
    public Uni<Map<String, List<ObjectNode>>> list(@QueryParam("active") String active) {
        Boolean wanted = active == null ? null : switch (active.trim().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new InvalidInputException("active", "must be true or false, got '" + active + "'");
        };
        Instant now = Instant.now();
        return store.list().map(rules -> Map.of("items", rules.stream()
                .filter(r -> wanted == null || r.activeAt(now) == wanted)
                .map(RuleCodec::write)
                .toList()));
    }

    @POST
    @Path("/rules")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create a merchandising rule",
            description = "boost (factor above 1, at most 100) or bury (factor between 0 and 1) scores, pin a product "
                    + "at a position (1-100), or block; matched by product id, brand, category (level name or path "
                    + "prefix) or tag. Answers 201 with the rule, its Location and its version as ETag.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON,
            examples = @ExampleObject(name = "boost", value = RULE_EXAMPLE)))
    public Uni<Response> create(JsonNode body, @Parameter(in = ParameterIn.HEADER, name = ACTOR,
            description = "Whom the caller acts for (a note beside the authenticated caller in the audit trail)") @HeaderParam(ACTOR) String actor) {
        List<FieldError> errors = new ArrayList<>();
        String who = collect(errors, () -> Actor.of(identity, actor));
        Rule draft = collect(errors, () -> RuleCodec.read(body, ""));
        failOn(errors);
        return store.create(draft, who)
                .call(active::refresh)
                .map(rule -> Response.created(URI.create("/v1/merchandising/rules/" + rule.id()))
                        .tag(String.valueOf(rule.version()))
                        .entity(RuleCodec.write(rule)).build());
    }

    @GET
    @Path("/rules/{id}")
    @Operation(summary = "Read a merchandising rule", description = "ETag carries its version, for If-Match on PUT.")
    public Uni<Response> get(@PathParam("id") String id) {
        long ruleId = ruleId(id);
        return store.find(ruleId).map(found -> {
            Rule rule = found.orElseThrow(() -> new UnknownRule(ruleId));
            return Response.ok(RuleCodec.write(rule)).tag(String.valueOf(rule.version())).build();
        });
    }

    @PUT
    @Path("/rules/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Replace a merchandising rule",
            description = "The body is the whole rule, as for create (id, version and timestamps sent back are "
                    + "ignored). With If-Match: \"<version>\" the change is refused with 412 if the rule changed since.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON,
            examples = @ExampleObject(name = "boost", value = RULE_EXAMPLE)))
    public Uni<Response> replace(@PathParam("id") String id, JsonNode body,
                                 @Parameter(in = ParameterIn.HEADER, name = ACTOR) @HeaderParam(ACTOR) String actor,
                                 @HeaderParam("If-Match") String ifMatch) {
        List<FieldError> errors = new ArrayList<>();
        Long ruleId = collect(errors, () -> ruleId(id));
        String who = collect(errors, () -> Actor.of(identity, actor));
        Long expected = collect(errors, () -> expectedVersion(ifMatch));
        Rule draft = collect(errors, () -> RuleCodec.read(body, ""));
        failOn(errors);
        return store.update(ruleId, draft, expected, who)
                .call(active::refresh)
                .map(rule -> Response.ok(RuleCodec.write(rule)).tag(String.valueOf(rule.version())).build());
    }

    @DELETE
    @Path("/rules/{id}")
    @Operation(summary = "Delete a merchandising rule", description = "204; its audit trail stays.")
    public Uni<Response> delete(@PathParam("id") String id,
                                @Parameter(in = ParameterIn.HEADER, name = ACTOR) @HeaderParam(ACTOR) String actor) {
        long ruleId = ruleId(id);
        String who = Actor.of(identity, actor);
        return store.delete(ruleId, who)
                .call(active::refresh)
                .map(deleted -> Response.noContent().build());
    }

    @GET
    @Path("/rules/{id}/audit")
    @Operation(summary = "The audit trail of one rule, newest first",
            description = "Each entry: who (the authenticated caller, and whom it acted for), when, the operation and the rule before and after. "
                    + "limit 1-100 (default 20); pass nextCursor as cursor for older entries.")
    public Uni<Map<String, Object>> ruleAudit(@PathParam("id") String id, @QueryParam("limit") String limit,
                                              @QueryParam("cursor") String cursor) {
        long ruleId = ruleId(id);
        return auditPage(ruleId, limit, cursor);
    }

    @GET
    @Path("/audit")
    @Operation(summary = "The audit trail of all rules, newest first",
            description = "limit 1-100 (default 20); pass nextCursor as cursor for older entries.")
    public Uni<Map<String, Object>> audit(@QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
        return auditPage(null, limit, cursor);
    }

    private Uni<Map<String, Object>> auditPage(Long ruleId, String limit, String cursor) {
        int size = limit(limit);
        Long before = cursor(cursor);
        return store.audit(ruleId, before, size).map(entries -> {
            Map<String, Object> page = new LinkedHashMap<>();
            page.put("items", entries.stream().map(RuleResource::auditJson).toList());
            page.put("nextCursor", entries.size() < size ? null : Base64.getUrlEncoder().withoutPadding()
                    .encodeToString((CURSOR_PREFIX + entries.get(entries.size() - 1).id()).getBytes(StandardCharsets.UTF_8)));
            return page;
        });
    }

    private static ObjectNode auditJson(RuleStore.AuditEntry e) {
        ObjectNode node = JsonNodeFactory.instance.objectNode()
                .put("id", e.id())
                .put("ruleId", e.ruleId())
                .put("operation", e.operation())
                .put("actor", e.actor())
                .put("at", e.at().toString());
        node.set("before", e.before());
        node.set("after", e.after());
        return node;
    }

    /** Runs one check, keeping its field errors beside the others' so that one answer names them all. */
    private static <T> T collect(List<FieldError> errors, Supplier<T> check) {
        try {
            return check.get();
        } catch (InvalidInputException e) {
            errors.addAll(e.errors());
            return null;
        }
    }

    private static void failOn(List<FieldError> errors) {
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
    }

    private static long ruleId(String id) {
        try {
            long value = Long.parseLong(id);
            if (value > 0) {
                return value;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new InvalidInputException("id", "must be a rule id (a positive whole number), got '" + id + "'");
    }

    /** {@code "3"}, {@code W/"3"} or {@code 3}; {@code *} or absent means any version. */
    private static Long expectedVersion(String ifMatch) {
        if (ifMatch == null || ifMatch.isBlank() || ifMatch.trim().equals("*")) {
            return null;
        }
        String tag = ifMatch.trim();
        if (tag.startsWith("W/")) {
            tag = tag.substring(2);
        }
        tag = tag.replace("\"", "");
        try {
            return Long.parseLong(tag);
        } catch (NumberFormatException e) {
            throw new InvalidInputException("If-Match", "must be the rule's ETag (its version, e.g. \"3\"), got " + ifMatch);
        }
    }

    private static int limit(String limit) {
        if (limit == null) {
            return DEFAULT_AUDIT_LIMIT;
        }
        try {
            int size = Integer.parseInt(limit.trim());
            if (size >= 1 && size <= MAX_AUDIT_LIMIT) {
                return size;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new InvalidInputException("limit", "must be a whole number from 1 to " + MAX_AUDIT_LIMIT + ", got '" + limit + "'");
    }

    private static Long cursor(String cursor) {
        if (cursor == null || cursor.isEmpty()) {
            return null;
        }
        try {
            String decoded = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            if (decoded.startsWith(CURSOR_PREFIX)) {
                return Long.parseLong(decoded.substring(CURSOR_PREFIX.length()));
            }
        } catch (IllegalArgumentException ignored) {
            // reported below
        }
        throw new InvalidInputException("cursor", "is not a cursor this service issued; pass nextCursor unchanged");
    }
}

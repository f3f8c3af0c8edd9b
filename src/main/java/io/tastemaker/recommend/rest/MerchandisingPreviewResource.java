package io.tastemaker.recommend.rest;

import io.tastemaker.recommend.ListRequest;
import io.tastemaker.recommend.Listing;
import io.tastemaker.recommend.Page;
import io.tastemaker.recommend.Ranking;
import io.tastemaker.recommend.RecommendationService;
import io.tastemaker.recommend.Surface;
import io.tastemaker.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import com.fasterxml.jackson.databind.JsonNode;
import io.tastemaker.api.ApiException;
import io.tastemaker.api.InvalidInputException;
import io.tastemaker.catalog.ProductValidator;
import io.tastemaker.api.UserIds;
import io.tastemaker.merchandising.Rule;
import io.tastemaker.merchandising.RuleCodec;
import io.tastemaker.merchandising.RuleEngine;
import io.tastemaker.vectors.VectorFilter;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Shows a merchandiser what draft rules would do before they go live: the same request ranked
 * with the live rules and with the draft, side by side, and which products each rule moved.
 */
@Path("/v1/merchandising/preview")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Merchandising")
@RolesAllowed(Roles.MERCHANDISER)
public class MerchandisingPreviewResource {

    static final int MAX_DRAFTS = 50;

    /** One row of a preview list: where a product is and why. */
    public record Row(int position, RecommendationItem item) {
    }

    /** One product a rule touched, with its position before and after (null = not in that list). */
    public record Moved(String productId, String title, Integer before, Integer after) {
    }

    /** What one rule (live or draft) did in the "after" list. */
    public record RuleEffect(long ruleId, String name, boolean draft, String action, List<Moved> products) {
    }

    public record Preview(String surface, Instant at, List<Row> before, List<Row> after, List<RuleEffect> effects) {
    }

    private final RecommendationService recommendations;

    MerchandisingPreviewResource(RecommendationService recommendations) {
        this.recommendations = recommendations;
    }

    @POST
    @Operation(summary = "Preview draft rules", description = "Body: {surface: feed|similar|search|assistant, userId?, "
            + "productId? (similar), query? (search, assistant), filters? {category, brand, minPrice, maxPrice, inStock}, limit?, at? (ISO instant: see a scheduled campaign), "
            + "rules: [draft rules, same fields as POST /rules], withoutRuleIds?: [live rules to leave out]}. "
            + "Answers the list with the live rules (before) and with the draft (after), and each rule's effect.")
    public Preview preview(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw new InvalidInputException("body", "must be a JSON object: {\"surface\": \"feed\", \"userId\": ..., \"rules\": [...]}");
        }
        Surface surface = ListingParser.surface("surface", text(body, "surface"));
        String userId = text(body, "userId");
        String productId = text(body, "productId");
        String query = text(body, "query");
        if (userId != null) {
            UserIds.validate("userId", userId);
        }
        switch (surface) {
            case FEED -> {
                if (userId == null) {
                    throw new InvalidInputException("userId", "is required for a feed preview");
                }
            }
            case SIMILAR -> {
                if (productId == null) {
                    throw new InvalidInputException("productId", "is required for a similar preview");
                }
                ProductValidator.validateId("productId", productId);
            }
            default -> RecommendationResource.validateQuery("query", query);
        }
        Instant at = instant(body.get("at"));
        Page page = ListingParser.page(body.hasNonNull("limit") ? body.get("limit").asText() : null, null);
        List<Rule> drafts = drafts(body.get("rules"));
        Set<Long> without = ids(body.get("withoutRuleIds"));

        List<Rule> live = recommendations.liveRules();
        List<Rule> after = new ArrayList<>(live.stream().filter(r -> !without.contains(r.id())).toList());
        after.addAll(drafts);
        ListRequest request = new ListRequest(surface, userId, productId, query);
        Listing listing = new Listing(filters(body.get("filters")), page, Map.of());
        Ranking.Result before = recommendations.rank(request, listing, live, at)
                .orElseThrow(() -> ApiException.notFound("Product '" + productId + "' is not in the index."));
        Ranking.Result afterResult = recommendations.rank(request, listing, after, at).orElseThrow();
        List<Row> beforeRows = rows(before, page);
        List<Row> afterRows = rows(afterResult, page);
        return new Preview(surface.key(), at, beforeRows, afterRows, effects(afterResult, before, drafts));
    }

    private static List<Row> rows(Ranking.Result result, Page page) {
        List<Row> rows = new ArrayList<>(page.limit());
        for (int i = 0; i < Math.min(page.limit(), result.items().size()); i++) {
            rows.add(new Row(i + 1, RecommendationItem.of(result.items().get(i), i + 1)));
        }
        return rows;
    }

    /** Each rule's effect on the whole ranked window, with positions before and after (1-based). */
    private static List<RuleEffect> effects(Ranking.Result after, Ranking.Result before, List<Rule> drafts) {
        Map<String, Integer> beforePositions = positions(before);
        Map<String, Integer> afterPositions = positions(after);
        Map<String, String> titles = new HashMap<>();
        before.items().forEach(r -> titles.put(r.productId(), r.payload().title()));
        after.items().forEach(r -> titles.put(r.productId(), r.payload().title()));
        Set<Long> draftIds = new HashSet<>();
        drafts.forEach(d -> draftIds.add(d.id()));
        List<RuleEffect> effects = new ArrayList<>();
        for (RuleEngine.Effect e : after.effects()) {
            List<Moved> moved = e.productIds().stream().map(id -> new Moved(id, titles.get(id), beforePositions.get(id),
                    afterPositions.get(id))).toList();
            effects.add(new RuleEffect(e.ruleId(), e.ruleName(), draftIds.contains(e.ruleId()), e.action().jsonName(),
                    moved));
        }
        return effects;
    }

    private static Map<String, Integer> positions(Ranking.Result result) {
        Map<String, Integer> positions = new HashMap<>();
        for (int i = 0; i < result.items().size(); i++) {
            positions.put(result.items().get(i).productId(), i + 1);
        }
        return positions;
    }

    /** Draft rules get ids -1, -2, … so their effects can be told apart from live rules'. */
    private static List<Rule> drafts(JsonNode rules) {
        if (rules == null || rules.isNull()) {
            return List.of();
        }
        if (!rules.isArray()) {
            throw new InvalidInputException("rules", "must be a list of draft rules");
        }
        if (rules.size() > MAX_DRAFTS) {
            throw new InvalidInputException("rules", "holds more than " + MAX_DRAFTS + " drafts");
        }
        List<Rule> drafts = new ArrayList<>();
        Instant now = Instant.now();
        for (int i = 0; i < rules.size(); i++) {
            drafts.add(RuleCodec.read(rules.get(i), "rules[" + i + "]").stored(-(i + 1), 0, now, now));
        }
        return drafts;
    }

    /** The same filters as the storefront lists, named {@code filters.*} when wrong. */
    private static VectorFilter filters(JsonNode node) {
        if (node == null || node.isNull()) {
            return VectorFilter.NONE;
        }
        if (!node.isObject()) {
            throw new InvalidInputException("filters", "must be an object such as {\"category\": \"Lamps\", \"maxPrice\": 200}");
        }
        return Filters.parse(field(node, "category"), field(node, "brand"), field(node, "minPrice"),
                field(node, "maxPrice"), field(node, "inStock"), "filters.");
    }

    private static String field(JsonNode node, String name) {
        JsonNode value = node.get(name);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static String text(JsonNode body, String field) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw new InvalidInputException(field, "must be a string");
        }
        return node.asText();
    }

    private static Instant instant(JsonNode node) {
        if (node == null || node.isNull()) {
            return Instant.now();
        }
        try {
            return Instant.parse(node.asText());
        } catch (DateTimeParseException e) {
            throw new InvalidInputException("at", "must be an ISO-8601 instant such as 2026-12-01T00:00:00Z");
        }
    }

    private static Set<Long> ids(JsonNode node) {
        Set<Long> ids = new HashSet<>();
        if (node == null || node.isNull()) {
            return ids;
        }
        if (!node.isArray()) {
            throw new InvalidInputException("withoutRuleIds", "must be a list of rule ids");
        }
        for (JsonNode id : node) {
            if (!id.canConvertToLong()) {
                throw new InvalidInputException("withoutRuleIds", "must be a list of rule ids");
            }
            ids.add(id.asLong());
        }
        return ids;
    }
}

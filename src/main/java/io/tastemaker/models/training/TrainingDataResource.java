package io.tastemaker.models.training;

import io.tastemaker.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.smallrye.common.annotation.Blocking;
import io.tastemaker.api.InvalidInputException;
import io.tastemaker.catalog.CatalogStore;
import io.tastemaker.catalog.Product;
import io.tastemaker.embedding.ProductText;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.StreamingOutput;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Training pairs for fine-tuning an embedding model on the shop's own engagement, as NDJSON:
 * co-engagement links (shoppers who engaged with the anchor product went on to the positive) and
 * query links (shoppers who searched or asked for the anchor words engaged with the positive),
 * with the products' texts exactly as the embedding model sees them. Streamed page by page
 * ({@link NdjsonPages}), so an export of millions of links holds a thousand in memory.
 */
@Blocking
@Path("/v1/training-data/pairs")
@Tag(name = "Models")
@RolesAllowed(Roles.DATA_SCIENTIST)
public class TrainingDataResource {

    static final String CO_ENGAGEMENT = "co-engagement";
    static final String QUERY = "query";

    private final TrainingLinks links;
    private final CatalogStore catalog;

    TrainingDataResource(TrainingLinks links, CatalogStore catalog) {
        this.links = links;
        this.catalog = catalog;
    }

    /** One line of the export; {@code anchorId} is null for a query pair (the anchor is the words). */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Pair(String anchorId, String anchorText, String positiveId, String positiveText, double weight,
                       String source) {
    }

    /** Reads one page of links after the given key. */
    private interface Links {
        List<TrainingLinks.Link> after(String from, String to, double minWeight, int limit);
    }

    @GET
    @Produces(NdjsonPages.NDJSON)
    @Operation(summary = "Export training pairs (NDJSON)", description = "One line per link: {anchorId, anchorText, "
            + "positiveId, positiveText, weight, source}. source=co-engagement (product → product shoppers went on to), "
            + "query (the words of a search or assistant request → the product engaged with from it; anchorId null) or "
            + "all (default: co-engagement lines, then query lines). minWeight (default 1) drops weak links; limit caps "
            + "the lines. Products no longer in the catalog are skipped; query pairs are exported only while a shopper "
            + "who is not erased contributed them (an erased shopper's own words never leave).")
    public StreamingOutput pairs(@QueryParam("source") String source, @QueryParam("minWeight") String minWeight,
                                 @QueryParam("limit") String limit) {
        String wanted = source == null || source.isBlank() ? "all" : source.trim();
        if (!List.of("all", CO_ENGAGEMENT, QUERY).contains(wanted)) {
            throw new InvalidInputException("source", "must be co-engagement, query or all, got '" + source + "'");
        }
        double min = parse("minWeight", minWeight, 1.0, 0, Double.MAX_VALUE);
        long max = (long) parse("limit", limit, Long.MAX_VALUE, 1, Long.MAX_VALUE);
        return NdjsonPages.stream(out -> {
            long written = 0;
            if (!wanted.equals(QUERY)) {
                written += write(out, links::linksAfter, CO_ENGAGEMENT, min, max);
            }
            if (!wanted.equals(CO_ENGAGEMENT)) {
                write(out, links::queryLinksAfter, QUERY, min, max - written);
            }
        });
    }

    /** Writes up to {@code max} lines of one source; returns how many. */
    private long write(Writer out, Links links, String source, double minWeight, long max) throws IOException {
        boolean query = source.equals(QUERY);
        return NdjsonPages.write(out, (TrainingLinks.Link last, int limit) -> links.after(last == null ? null : last.from(),
                last == null ? null : last.to(), minWeight, limit), page -> {
            Set<String> ids = new HashSet<>();
            page.forEach(l -> {
                if (!query) {
                    ids.add(l.from());
                }
                ids.add(l.to());
            });
            Map<String, Product> products = catalog.findAllBlocking(ids);
            List<Pair> pairs = new ArrayList<>(page.size());
            for (TrainingLinks.Link l : page) {
                Product anchor = query ? null : products.get(l.from());
                Product positive = products.get(l.to());
                if ((query || anchor != null) && positive != null) {
                    pairs.add(new Pair(query ? null : l.from(), query ? l.from() : ProductText.of(anchor), l.to(),
                            ProductText.of(positive), l.weight(), source));
                }
            }
            return pairs;
        }, max);
    }

    private static double parse(String field, String text, double fallback, double min, double max) {
        if (text == null || text.isBlank()) {
            return fallback;
        }
        try {
            double value = Double.parseDouble(text.trim());
            if (value < min || value > max || Double.isNaN(value)) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException e) {
            throw new InvalidInputException(field, "must be a number of at least " + (long) min + ", got '" + text + "'");
        }
    }
}

package io.tastemaker.models;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.common.annotation.Blocking;
import io.tastemaker.api.InvalidInputException;
import io.tastemaker.catalog.CatalogStore;
import io.tastemaker.catalog.Product;
import io.tastemaker.embedding.ProductText;
import io.tastemaker.engagement.EngagementStore;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.StreamingOutput;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Training pairs for fine-tuning an embedding model on the shop's own engagement, as NDJSON: one
 * co-engagement link per line (shoppers who engaged with the anchor went on to the positive),
 * with both products' texts exactly as the embedding model sees them. Streamed page by page, so
 * an export of millions of links holds a thousand in memory.
 */
@Blocking
@Path("/v1/training-data/pairs")
@Tag(name = "Models")
public class TrainingDataResource {

    static final String NDJSON = "application/x-ndjson";
    private static final int PAGE = 1000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final EngagementStore engagement;
    private final CatalogStore catalog;

    TrainingDataResource(EngagementStore engagement, CatalogStore catalog) {
        this.engagement = engagement;
        this.catalog = catalog;
    }

    /** One line of the export. */
    public record Pair(String anchorId, String anchorText, String positiveId, String positiveText, double weight,
                       String source) {
    }

    @GET
    @Produces(NDJSON)
    @Operation(summary = "Export training pairs (NDJSON)", description = "One line per co-engagement link: "
            + "{anchorId, anchorText, positiveId, positiveText, weight, source}. minWeight (default 1) drops weak "
            + "links; limit caps the lines. Products no longer in the catalog are skipped.")
    public StreamingOutput pairs(@QueryParam("minWeight") String minWeight, @QueryParam("limit") String limit) {
        double min = parse("minWeight", minWeight, 1.0, 0, Double.MAX_VALUE);
        long max = (long) parse("limit", limit, Long.MAX_VALUE, 1, Long.MAX_VALUE);
        return output -> {
            BufferedWriter out = new BufferedWriter(new OutputStreamWriter(output, StandardCharsets.UTF_8));
            long written = 0;
            String afterFrom = null;
            String afterTo = null;
            while (written < max) {
                List<EngagementStore.Link> links = engagement.linksAfter(afterFrom, afterTo, min, PAGE);
                if (links.isEmpty()) {
                    break;
                }
                Set<String> ids = new HashSet<>();
                links.forEach(l -> {
                    ids.add(l.from());
                    ids.add(l.to());
                });
                Map<String, Product> products = catalog.findAllBlocking(ids);
                for (EngagementStore.Link l : links) {
                    Product anchor = products.get(l.from());
                    Product positive = products.get(l.to());
                    if (anchor != null && positive != null && written < max) {
                        out.write(JSON.writeValueAsString(new Pair(l.from(), ProductText.of(anchor), l.to(),
                                ProductText.of(positive), l.weight(), "co-engagement")));
                        out.write('\n');
                        written++;
                    }
                }
                EngagementStore.Link last = links.get(links.size() - 1);
                afterFrom = last.from();
                afterTo = last.to();
            }
            out.flush();
        };
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

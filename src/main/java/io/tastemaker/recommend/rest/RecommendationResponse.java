package io.tastemaker.recommend.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.tastemaker.recommend.Recommendations;

import java.util.List;

/**
 * Every recommendation answer: items, the cursor of the next page, the model that ranked them,
 * and {@code degraded}: the sources and steps left out because a dependency failed or was too
 * slow (always present; empty when the list is whole).
 */
public record RecommendationResponse(List<RecommendationItem> items, String nextCursor, String modelVersion,
                                     Rerank rerank, List<String> degraded) {

    /** Whether an LLM reranked the items, which one, and if not, why not. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Rerank(boolean applied, String model, String fallbackReason) {
    }

    static RecommendationResponse of(Recommendations page) {
        Recommendations.Rerank rerank = page.rerank();
        return new RecommendationResponse(page.items().stream().map(RecommendationItem::of).toList(),
                ListingParser.cursor(page.nextOffset()), page.modelVersion(),
                new Rerank(rerank.applied(), rerank.model(), rerank.fallbackReason()), page.degraded());
    }
}

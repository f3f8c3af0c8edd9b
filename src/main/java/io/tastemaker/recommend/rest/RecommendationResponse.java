package io.tastemaker.recommend.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.tastemaker.recommend.Recommendations;

import java.util.List;

/**
 * Every recommendation answer: its {@code recommId} (events about its items send it back, so that
 * they are credited to this answer) and {@code placement}, items with their positions, the cursor
 * of the next page, the model that ranked them, and {@code degraded}: the sources and steps left
 * out because a dependency failed or was too slow (always present; empty when the list is whole).
 */
public record RecommendationResponse(String recommId, String placement, List<RecommendationItem> items,
                                     String nextCursor, String modelVersion, Rerank rerank, List<String> degraded) {

    /** Whether an LLM reranked the items, which one, and if not, why not. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Rerank(boolean applied, String model, String fallbackReason) {
    }

    static RecommendationResponse of(Recommendations page) {
        Recommendations.Rerank rerank = page.rerank();
        List<RecommendationItem> items = new java.util.ArrayList<>(page.items().size());
        for (int i = 0; i < page.items().size(); i++) {
            items.add(RecommendationItem.of(page.items().get(i), page.firstPosition() + i));
        }
        return new RecommendationResponse(page.recommId(), page.placement(), items,
                ListingParser.cursor(page.nextOffset()), page.modelVersion(),
                new Rerank(rerank.applied(), rerank.model(), rerank.fallbackReason()), page.degraded());
    }
}

package io.tastemaker.recommend;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/** Every recommendation answer: items, the cursor of the next page, the model that ranked them. */
public record RecommendationResponse(List<RecommendationItem> items, String nextCursor, String modelVersion,
                                     Rerank rerank) {

    /** Whether an LLM reranked the items, which one, and if not, why not. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Rerank(boolean applied, String model, String fallbackReason) {

        static Rerank skipped(String reason) {
            return new Rerank(false, null, reason);
        }
    }
}

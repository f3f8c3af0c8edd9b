package io.tastemaker.recommend;

import java.util.List;

/**
 * One page of a storefront list: the ranked products on it, where the next page starts (-1: none),
 * the model version that ranked them and what the LLM did.
 */
public record Recommendations(List<Ranking.Ranked> items, int nextOffset, String modelVersion, Rerank rerank) {

    public Recommendations {
        items = List.copyOf(items);
    }

    /** Whether an LLM reranked the items, which one, and if not, why not. */
    public record Rerank(boolean applied, String model, String fallbackReason) {

        static Rerank skipped(String reason) {
            return new Rerank(false, null, reason);
        }
    }
}

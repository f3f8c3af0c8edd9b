package io.tastemaker.recommend;

import java.util.List;

/**
 * One page of a storefront list: the ranked products on it, where the next page starts (-1: none),
 * the model version that ranked them, what the LLM did, and what the list had to do without
 * ({@code degraded}: the sources and steps that failed or missed the deadline, empty when whole).
 */
public record Recommendations(List<Ranking.Ranked> items, int nextOffset, String modelVersion, Rerank rerank,
                              List<String> degraded) {

    public Recommendations {
        items = List.copyOf(items);
        degraded = List.copyOf(degraded);
    }

    public Recommendations(List<Ranking.Ranked> items, int nextOffset, String modelVersion, Rerank rerank) {
        this(items, nextOffset, modelVersion, rerank, List.of());
    }

    /** This page, saying that {@code missing} could not contribute. */
    public Recommendations degradedBy(List<String> missing) {
        return missing.isEmpty() ? this : new Recommendations(items, nextOffset, modelVersion, rerank, missing);
    }

    /** Whether an LLM reranked the items, which one, and if not, why not. */
    public record Rerank(boolean applied, String model, String fallbackReason) {

        static Rerank skipped(String reason) {
            return new Rerank(false, null, reason);
        }
    }
}

package io.tastemaker.recommend;

import java.util.List;

/**
 * One page of a storefront list: the ranked products on it, the position of its first item on the
 * whole list (1 on the first page), where the next page starts (-1: none), the model version that
 * ranked them, what the LLM did, and what the list had to do without ({@code degraded}: the sources
 * and steps that failed or missed the deadline, empty when whole). Once served, it carries its
 * {@code recommId} (what events send back to credit it) and the {@code placement} it was shown in.
 */
public record Recommendations(List<Ranking.Ranked> items, int firstPosition, int nextOffset, String modelVersion,
                              Rerank rerank, List<String> degraded, String recommId, String placement) {

    public Recommendations {
        items = List.copyOf(items);
        degraded = List.copyOf(degraded);
    }

    /** A page cut at {@code offset} of the ranked list, not served yet. */
    public static Recommendations page(List<Ranking.Ranked> items, int offset, int nextOffset, String modelVersion,
                                       Rerank rerank) {
        return new Recommendations(items, offset + 1, nextOffset, modelVersion, rerank, List.of(), null, null);
    }

    /** This page, saying that {@code missing} could not contribute. */
    public Recommendations degradedBy(List<String> missing) {
        return missing.isEmpty() ? this
                : new Recommendations(items, firstPosition, nextOffset, modelVersion, rerank, missing, recommId, placement);
    }

    /** This page as it was served: under {@code recommId}, in {@code placement}. */
    public Recommendations servedAs(String recommId, String placement) {
        return new Recommendations(items, firstPosition, nextOffset, modelVersion, rerank, degraded, recommId, placement);
    }

    /** Whether an LLM reranked the items, which one, and if not, why not. */
    public record Rerank(boolean applied, String model, String fallbackReason) {

        static Rerank skipped(String reason) {
            return new Rerank(false, null, reason);
        }
    }
}

package io.tastemaker.recommend;

import io.tastemaker.rerank.Reranker;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Puts an LLM's order into a ranked list: the head's unpinned products take the model's order,
 * pinned products keep their positions (blocked ones were never candidates), the tail is
 * untouched. A product the model gave a reason for shows it first.
 */
final class Reranking {

    static final String SOURCE = "llm";

    private Reranking() {
    }

    /**
     * @param headSize how many leading items were offered to the model (pinned ones among them)
     * @param outcome  an applied outcome whose order holds exactly the unpinned head products
     */
    static List<Ranking.Ranked> apply(List<Ranking.Ranked> ranked, int headSize, Reranker.Outcome outcome) {
        Map<String, Ranking.Ranked> byId = new HashMap<>();
        ranked.subList(0, headSize).forEach(r -> byId.put(r.productId(), r));
        Iterator<String> order = outcome.order().iterator();
        List<Ranking.Ranked> result = new ArrayList<>(ranked.size());
        for (int i = 0; i < headSize; i++) {
            Ranking.Ranked here = ranked.get(i);
            result.add(here.pinned() ? here : withReason(byId.get(order.next()), outcome.reasons()));
        }
        result.addAll(ranked.subList(headSize, ranked.size()));
        return result;
    }

    private static Ranking.Ranked withReason(Ranking.Ranked r, Map<String, String> reasons) {
        String reason = reasons.get(r.productId());
        if (reason == null) {
            return r;
        }
        List<Reason> all = new ArrayList<>(r.reasons().size() + 1);
        all.add(new Reason(SOURCE, reason));
        all.addAll(r.reasons());
        return new Ranking.Ranked(r.productId(), r.payload(), r.score(), List.copyOf(all), r.pinned(), r.ruleIds());
    }
}

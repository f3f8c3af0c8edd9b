package io.tastemaker.recommend;

import io.tastemaker.rerank.Reranker;
import io.tastemaker.vectors.ProductPayload;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class RerankingTest {

    private static Ranking.Ranked ranked(String id, boolean pinned) {
        ProductPayload payload = new ProductPayload("Title " + id, "Brand", List.of("Home"), List.of(), BigDecimal.TEN,
                "USD", null, true, "hash");
        return new Ranking.Ranked(id, payload, 1, List.of(new Reason("query", "matches \"x\"")), pinned, List.of());
    }

    @Test
    void should_give_unpinned_head_positions_the_models_order_and_leave_pins_and_the_tail_alone() {
        List<Ranking.Ranked> list = List.of(ranked("a", false), ranked("pin", true), ranked("b", false),
                ranked("c", false), ranked("tail", false));
        Reranker.Outcome outcome = Reranker.Outcome.applied("m", List.of("c", "a", "b"), Map.of("c", "Cosy"));

        List<Ranking.Ranked> result = Reranking.apply(list, 4, outcome);

        assertThat(result).extracting(Ranking.Ranked::productId).containsExactly("c", "pin", "a", "b", "tail");
        assertThat(result.get(0).reasons()).extracting(Reason::source).containsExactly("llm", "query");
        assertThat(result.get(0).reasons().get(0).detail()).isEqualTo("Cosy");
        assertThat(result.get(2).reasons()).extracting(Reason::source).containsExactly("query");
        assertThat(result.get(1)).isSameAs(list.get(1));
        assertThat(result.get(4)).isSameAs(list.get(4));
    }
}

package io.tastemaker.recommend;

import io.tastemaker.recommend.sources.Candidate;
import io.tastemaker.recommend.sources.Retrieved;
import io.tastemaker.recommend.sources.Source;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class FusionTest {

    private static Retrieved list(Source source, Object... idsAndScores) {
        List<Candidate> candidates = new java.util.ArrayList<>();
        for (int i = 0; i < idsAndScores.length; i += 2) {
            candidates.add(new Candidate((String) idsAndScores[i], (Double) idsAndScores[i + 1], source.key() + " says"));
        }
        return new Retrieved(source, candidates);
    }

    @Test
    void score_fusion_normalises_each_source_by_its_best_score_and_weighs_it() {
        // co-engagement counts in the hundreds, cosines below 1: normalised, both span 0..1
        Retrieved links = list(Source.CO_ENGAGEMENT, "a", 400.0, "b", 100.0);
        Retrieved content = list(Source.SIMILAR, "b", 0.9, "c", 0.45);
        Weights weights = new Weights(Map.of(Source.CO_ENGAGEMENT, 1.0, Source.SIMILAR, 2.0));

        List<Fusion.Fused> fused = Fusion.fuse(List.of(links, content), weights, Fusion.Method.SCORE);

        assertThat(fused).extracting(Fusion.Fused::productId).containsExactly("b", "a", "c");
        assertThat(fused.get(0).score()).isCloseTo(0.25 + 2.0, within(1e-9));
        assertThat(fused.get(1).score()).isCloseTo(1.0, within(1e-9));
        assertThat(fused.get(2).score()).isCloseTo(1.0, within(1e-9)); // 2 × 0.45/0.9, tie with a: id order
    }

    @Test
    void a_floor_under_co_engagement_keeps_weak_links_from_counting_as_much_as_strong_ones() {
        // one link only: without a floor it is scaled up to 1 and outranks the close look-alike
        Retrieved weak = list(Source.CO_ENGAGEMENT, "a", 1.0);
        Retrieved content = list(Source.SIMILAR, "b", 0.9, "a", 0.3);
        Weights weights = new Weights(Map.of(Source.CO_ENGAGEMENT, 1.0, Source.SIMILAR, 1.0));

        List<Fusion.Fused> plain = Fusion.fuse(List.of(weak, content), weights, Fusion.Method.SCORE);
        List<Fusion.Fused> floored = Fusion.fuse(List.of(weak, content), weights.withFloor(Source.CO_ENGAGEMENT, 4.0),
                Fusion.Method.SCORE);

        assertThat(plain).extracting(Fusion.Fused::productId).containsExactly("a", "b");
        assertThat(floored).extracting(Fusion.Fused::productId).containsExactly("b", "a");
        assertThat(floored.get(1).score()).isCloseTo(1.0 / 4 + 0.3 / 0.9, within(1e-9));
    }

    @Test
    void a_floor_below_the_best_score_changes_nothing() {
        Retrieved strong = list(Source.CO_ENGAGEMENT, "a", 40.0, "b", 10.0);
        Weights weights = new Weights(Map.of(Source.CO_ENGAGEMENT, 1.0));

        assertThat(Fusion.fuse(List.of(strong), weights.withFloor(Source.CO_ENGAGEMENT, 4.0), Fusion.Method.SCORE))
                .isEqualTo(Fusion.fuse(List.of(strong), weights, Fusion.Method.SCORE));
    }

    @Test
    void every_fused_product_keeps_its_sources_largest_contribution_first() {
        Retrieved links = list(Source.CO_ENGAGEMENT, "a", 10.0, "b", 1.0);
        Retrieved trending = list(Source.TRENDING, "b", 50.0);
        Weights weights = new Weights(Map.of(Source.CO_ENGAGEMENT, 1.0, Source.TRENDING, 0.5));

        Fusion.Fused b = Fusion.fuse(List.of(links, trending), weights, Fusion.Method.SCORE).stream()
                .filter(f -> f.productId().equals("b")).findFirst().orElseThrow();

        assertThat(b.contributions()).extracting(Fusion.Contribution::source)
                .containsExactly(Source.TRENDING, Source.CO_ENGAGEMENT);
        assertThat(b.contributions().get(0).because()).isEqualTo("trending says");
    }

    @Test
    void rrf_uses_ranks_only() {
        Retrieved one = list(Source.QUERY, "a", 0.99, "b", 0.98);
        Retrieved two = list(Source.PROFILE, "b", 0.5, "c", 0.1);
        Weights equal = new Weights(Map.of(Source.QUERY, 1.0, Source.PROFILE, 1.0));

        List<Fusion.Fused> fused = Fusion.fuse(List.of(one, two), equal, Fusion.Method.RRF);

        assertThat(fused).extracting(Fusion.Fused::productId).containsExactly("b", "a", "c");
        assertThat(fused.get(0).score()).isCloseTo(1 / 62.0 + 1 / 61.0, within(1e-12));
    }

    @Test
    void a_source_without_weight_adds_nothing() {
        Retrieved trending = list(Source.TRENDING, "t", 1000.0);
        Retrieved content = list(Source.SIMILAR, "s", 0.5);

        List<Fusion.Fused> fused = Fusion.fuse(List.of(trending, content), new Weights(Map.of(Source.SIMILAR, 1.0)),
                Fusion.Method.SCORE);

        assertThat(fused).extracting(Fusion.Fused::productId).containsExactly("s");
    }
}

package io.tastemaker.recommend;

import io.tastemaker.merchandising.Rule;
import io.tastemaker.merchandising.RuleEngine;
import io.tastemaker.recommend.sources.Source;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Reasons led by what sets an item apart from the rest of its list, the others kept after it. */
class ExplanationsTest {

    private static final String LIKE_SHELF = "like Bamboo Ladder Shelf, which you clicked";
    private static final String AFTER_CHAIR = "because you bought Wingback Reading Chair";

    @Test
    void a_source_above_its_typical_level_leads_and_the_strongest_follows() {
        List<Fusion.Fused> list = List.of(
                fused("a", c(Source.SIMILAR, 1.9, LIKE_SHELF), c(Source.CO_ENGAGEMENT, 0.2, AFTER_CHAIR)),
                fused("b", c(Source.SIMILAR, 1.8, LIKE_SHELF), c(Source.CO_ENGAGEMENT, 0.2, AFTER_CHAIR)),
                fused("c", c(Source.SIMILAR, 1.7, LIKE_SHELF), c(Source.CO_ENGAGEMENT, 0.9, AFTER_CHAIR)),
                fused("d", c(Source.SIMILAR, 1.6, LIKE_SHELF), c(Source.TRENDING, 0.3, "trending in Shelves"),
                        c(Source.CO_ENGAGEMENT, 0.2, AFTER_CHAIR)));

        List<List<Reason>> reasons = Explanations.of(list, noRules(list.size()));

        assertThat(reasons.get(0)).containsExactly(new Reason("similar", LIKE_SHELF),
                new Reason("coEngagement", AFTER_CHAIR)); // the likest: likeness leads
        assertThat(reasons.get(2)).containsExactly(new Reason("coEngagement", AFTER_CHAIR),
                new Reason("similar", LIKE_SHELF)); // chosen after the chair far more often than the rest
        assertThat(reasons.get(3)).containsExactly(new Reason("trending", "trending in Shelves"),
                new Reason("similar", LIKE_SHELF), new Reason("coEngagement", AFTER_CHAIR));
    }

    @Test
    void an_item_typical_in_every_source_leads_with_its_strongest() {
        List<Fusion.Fused> list = List.of(
                fused("a", c(Source.SIMILAR, 2.0, LIKE_SHELF), c(Source.PROFILE, 0.1, "close to your taste in Shelves")),
                fused("b", c(Source.SIMILAR, 1.0, LIKE_SHELF), c(Source.PROFILE, 0.05, "close to your taste in Shelves")),
                fused("c", c(Source.SIMILAR, 1.5, LIKE_SHELF), c(Source.PROFILE, 0.08, "close to your taste in Shelves")));

        List<List<Reason>> reasons = Explanations.of(list, noRules(list.size()));

        assertThat(reasons.get(1)).first().isEqualTo(new Reason("similar", LIKE_SHELF)); // below typical everywhere
        assertThat(reasons.get(2)).first().isEqualTo(new Reason("similar", LIKE_SHELF)); // exactly typical
    }

    @Test
    void repeated_words_count_once_and_merchandising_comes_last() {
        List<Fusion.Fused> list = new ArrayList<>(List.of(
                fused("a", c(Source.SIMILAR, 1.0, LIKE_SHELF), c(Source.PROFILE, 0.5, LIKE_SHELF))));
        list.add(null); // pinned, though no source proposed it
        List<List<RuleEngine.Applied>> applied = List.of(
                List.of(new RuleEngine.Applied(1, "spring", Rule.Action.BOOST)),
                List.of(new RuleEngine.Applied(2, "shelf of the week", Rule.Action.PIN)));

        List<List<Reason>> reasons = Explanations.of(list, applied);

        assertThat(reasons.get(0)).containsExactly(new Reason("similar", LIKE_SHELF),
                new Reason("merchandising", "boosted: spring"));
        assertThat(reasons.get(1)).containsExactly(new Reason("merchandising", "pinned: shelf of the week"));
    }

    private static Fusion.Contribution c(Source source, double value, String because) {
        return new Fusion.Contribution(source, value, because);
    }

    private static Fusion.Fused fused(String id, Fusion.Contribution... contributions) {
        List<Fusion.Contribution> sorted = Arrays.stream(contributions)
                .sorted(Comparator.comparingDouble(Fusion.Contribution::value).reversed()).toList();
        return new Fusion.Fused(id, sorted.stream().mapToDouble(Fusion.Contribution::value).sum(), sorted);
    }

    private static List<List<RuleEngine.Applied>> noRules(int n) {
        List<List<RuleEngine.Applied>> none = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            none.add(List.of());
        }
        return none;
    }
}

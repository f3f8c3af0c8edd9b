package io.tastemaker.recommend.sources;

import io.tastemaker.vectors.VectorFilter;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The behaviour every {@link Popularity} adapter must have, the serving one (PostgreSQL and the
 * index) and the offline evaluation's alike, so that offline figures speak for the service. An
 * adapter's test extends this class and says how to replay {@link EngagementHistory} into it.
 * <p>Every event of the history is a purchase at one instant, so each product's decayed
 * engagement is its number of purchases times one factor (the purchase weight and the decay):
 * a 5, b 4, c 3, d to j 1 each. Scores are checked relative to the best one, which is how
 * fusion reads them (each source's scores divided by its best): the factor is the adapter's.
 */
public abstract class PopularityContract {

    protected static final EngagementHistory HISTORY = EngagementHistory.fresh("pop");
    private static final Map<Class<?>, Popularity> REPLAYED = new ConcurrentHashMap<>();

    /** The adapter after every shopper's purchases in {@code shoppers} were applied, in order per shopper. */
    protected abstract Popularity replay(List<List<String>> shoppers);

    /** A filter that keeps the history's products apart from any other data the adapter holds. */
    protected abstract VectorFilter onlyTheHistory();

    /** Replayed once per test class: the history only ever adds. */
    private Popularity popularity() {
        return REPLAYED.computeIfAbsent(getClass(), k -> replay(HISTORY.shoppers()));
    }

    @Test
    void should_rank_by_engagement_best_first_ties_by_product_id() {
        assertThat(popularity().top(onlyTheHistory(), 20)).extracting(Candidate::productId)
                .containsExactlyElementsOf(HISTORY.products());
    }

    @Test
    void should_score_in_proportion_to_decayed_engagement() {
        List<Candidate> top = popularity().top(onlyTheHistory(), 20);

        double best = top.get(0).score();
        assertThat(best).isPositive();
        double[] expected = {1, 0.8, 0.6, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2};
        assertThat(top).hasSize(expected.length);
        // the steps are 0.2 apart; 1e-6 still tells every one apart. Exact in principle, but one full
        // suite run (2026-12-05) read 0.79999999358 for 0.8 (cause not found yet; see the note on #17)
        for (int i = 0; i < expected.length; i++) {
            assertThat(top.get(i).score() / best).as(top.get(i).productId()).isCloseTo(expected[i], within(1e-6));
        }
    }

    @Test
    void should_respect_the_limit() {
        assertThat(popularity().top(onlyTheHistory(), 3)).extracting(Candidate::productId)
                .containsExactly(id("a"), id("b"), id("c"));
        assertThat(popularity().top(onlyTheHistory(), 0)).isEmpty();
    }

    @Test
    void should_skip_excluded_products_and_still_fill_the_limit() {
        VectorFilter filter = onlyTheHistory().excluding(Set.of(id("b"), id("d")));

        assertThat(popularity().top(filter, 3)).extracting(Candidate::productId)
                .containsExactly(id("a"), id("c"), id("e"));
    }

    private static String id(String letter) {
        return HISTORY.id(letter);
    }
}

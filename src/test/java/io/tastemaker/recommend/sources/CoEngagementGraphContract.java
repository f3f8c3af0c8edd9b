package io.tastemaker.recommend.sources;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The behaviour every {@link CoEngagementGraph} adapter must have, the serving one (PostgreSQL)
 * and the offline evaluation's alike, so that offline figures speak for the service. An
 * adapter's test extends this class and says how to replay {@link EngagementHistory} into it.
 * <p>Expected links, with the service's defaults (each purchase links the shopper's previous 3
 * distinct items to it, every step weighing 1: raw forward counts):
 * <pre>
 * abcd: a→b  b→c a→c  c→d b→d a→d
 * abe:  a→b  b→e a→e
 * bac:  b→a  a→c b→c
 * acab: a→c  c→a (a itself is skipped)  a→b c→b
 * fghij: f→g  g→h f→h  h→i g→i f→i  i→j h→j g→j (f is 4 steps back: no f→j)
 * </pre>
 */
public abstract class CoEngagementGraphContract {

    protected static final EngagementHistory HISTORY = EngagementHistory.fresh("co");
    private static final Map<Class<?>, CoEngagementGraph> REPLAYED = new ConcurrentHashMap<>();

    /** The adapter after every shopper's purchases in {@code shoppers} were applied, in order per shopper. */
    protected abstract CoEngagementGraph replay(List<List<String>> shoppers);

    /** Replayed once per test class: the history only ever adds. */
    private CoEngagementGraph graph() {
        return REPLAYED.computeIfAbsent(getClass(), k -> replay(HISTORY.shoppers()));
    }

    @Test
    void should_list_each_products_next_items_by_summed_link_weight_ties_by_product_id() {
        Map<String, List<Candidate>> next = graph().next(List.of(id("a"), id("b"), id("c")), 10);

        assertThat(next).containsOnlyKeys(id("a"), id("b"), id("c"));
        assertThat(next.get(id("a"))).containsExactly(link("b", 3), link("c", 3), link("d", 1), link("e", 1));
        assertThat(next.get(id("b"))).containsExactly(link("c", 2), link("a", 1), link("d", 1), link("e", 1));
        assertThat(next.get(id("c"))).containsExactly(link("a", 1), link("b", 1), link("d", 1));
    }

    @Test
    void should_cut_each_list_at_the_per_product_limit_keeping_the_strongest() {
        Map<String, List<Candidate>> next = graph().next(List.of(id("a"), id("b")), 2);

        assertThat(next.get(id("a"))).containsExactly(link("b", 3), link("c", 3));
        assertThat(next.get(id("b"))).containsExactly(link("c", 2), link("a", 1));
    }

    @Test
    void should_never_link_a_product_to_itself() {
        // a was bought twice by one shopper (acab), with c between
        graph().next(HISTORY.products(), 10).forEach((from, next) ->
                assertThat(next).extracting(Candidate::productId).doesNotContain(from));
    }

    @Test
    void should_link_only_the_window_of_previous_distinct_items() {
        assertThat(graph().next(List.of(id("f"), id("g")), 10)).containsOnly(
                Map.entry(id("f"), List.of(link("g", 1), link("h", 1), link("i", 1))),
                Map.entry(id("g"), List.of(link("h", 1), link("i", 1), link("j", 1))));
    }

    @Test
    void should_leave_out_products_with_no_links_out() {
        assertThat(graph().next(List.of(id("d"), id("e"), id("j"), HISTORY.prefix() + "-unknown"), 10)).isEmpty();
        assertThat(graph().next(List.of(), 10)).isEmpty();
    }

    private static String id(String letter) {
        return HISTORY.id(letter);
    }

    private static Candidate link(String to, double weight) {
        return new Candidate(id(to), weight, null);
    }
}

package io.tastemaker.recommend.sources;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The behaviour every {@link ShopperHistories} adapter must have, the serving one (in memory, from
 * the profiles in PostgreSQL) and the offline evaluation's alike. An adapter's test says how to
 * replay {@link EngagementHistory} into it and what the shoppers are called there. Expected, from
 * the shoppers' purchases (0: abcd, 1: abe, 2: bac, 3: acab, 4: fghij):
 * <pre>
 * histories, distinct and oldest first (a product where the shopper last engaged with it):
 *   0: a b c d   1: a b e   2: b a c   3: c a b   4: f g h i j
 * shoppers: a: 0 1 2 3   b: 0 1 2 3   c: 0 2 3   d: 0   e: 1   f..j: 4
 * </pre>
 */
public abstract class ShopperHistoriesContract {

    protected static final EngagementHistory HISTORY = EngagementHistory.fresh("alike");
    private static final Map<Class<?>, Replayed> REPLAYED = new ConcurrentHashMap<>();

    /** An adapter after the history, and the ids it knows the shoppers by, in the history's order. */
    public record Replayed(ShopperHistories histories, List<String> shopperIds) {
    }

    /** The adapter after every shopper's purchases in {@code shoppers} were applied, in order per shopper. */
    protected abstract Replayed replay(List<List<String>> shoppers);

    /** Replayed once per test class: the history only ever adds. */
    private Replayed replayed() {
        return REPLAYED.computeIfAbsent(getClass(), k -> replay(HISTORY.shoppers()));
    }

    @Test
    void should_give_each_shoppers_distinct_products_oldest_first_by_their_last_engagement() {
        Map<String, List<String>> histories = replayed().histories().historiesOf(List.of(shopper(0), shopper(3),
                shopper(4)));

        assertThat(histories).containsOnly(
                Map.entry(shopper(0), ids("abcd")),
                Map.entry(shopper(3), ids("cab")), // a, c, a, b: a's last engagement is after c's
                Map.entry(shopper(4), ids("fghij")));
    }

    @Test
    void should_give_each_products_shoppers_and_how_many_there_are() {
        Map<String, ShopperHistories.Shoppers> found = replayed().histories().shoppersOf(List.of(id("a"), id("c"),
                id("f")), 10);

        assertThat(found).containsOnlyKeys(id("a"), id("c"), id("f"));
        assertThat(found.get(id("a")).recent()).containsExactlyInAnyOrder(shopper(0), shopper(1), shopper(2), shopper(3));
        assertThat(found.get(id("a")).total()).isEqualTo(4);
        assertThat(found.get(id("c")).recent()).containsExactlyInAnyOrder(shopper(0), shopper(2), shopper(3));
        assertThat(found.get(id("f"))).isEqualTo(new ShopperHistories.Shoppers(List.of(shopper(4)), 1));
    }

    @Test
    void should_cut_a_products_shoppers_at_the_limit_but_count_them_all() {
        ShopperHistories.Shoppers b = replayed().histories().shoppersOf(List.of(id("b")), 2).get(id("b"));

        assertThat(b.recent()).hasSize(2).isSubsetOf(shopper(0), shopper(1), shopper(2), shopper(3));
        assertThat(b.total()).isEqualTo(4);
    }

    @Test
    void should_leave_out_what_it_does_not_know() {
        assertThat(replayed().histories().shoppersOf(List.of(HISTORY.prefix() + "-unknown"), 10)).isEmpty();
        assertThat(replayed().histories().historiesOf(List.of(HISTORY.prefix() + "-nobody"))).isEmpty();
    }

    private String shopper(int index) {
        return replayed().shopperIds().get(index);
    }

    private static String id(String letter) {
        return HISTORY.id(letter);
    }

    private static List<String> ids(String letters) {
        return letters.chars().mapToObj(c -> id(String.valueOf((char) c))).toList();
    }
}

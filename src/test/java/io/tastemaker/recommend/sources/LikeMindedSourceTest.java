package io.tastemaker.recommend.sources;

import io.tastemaker.profiles.TasteProfile;
import io.tastemaker.vectors.VectorFilter;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * "Shoppers like you" worked out by hand on four shoppers. The shopper bought a, then b, then c
 * (so c weighs 1, b 1/2, a 1/3); the index also holds their own history:
 * <pre>
 * me: a b c w    n1: a b c x    n2: y c    n3: z
 * shoppers: a {me, n1}  b {me, n1}  c {me, n1, n2}
 * similarity n1 = 1/ln 5 + (1/2)/ln 4 + (1/3)/ln 4;  n2 = 1/ln 5;  n3 shares nothing
 * x = sim(n1)/√4 (after the shared items);  y = ½ · sim(n2)/√2 (before them)
 * </pre>
 */
class LikeMindedSourceTest {

    private static final Map<String, List<String>> HISTORIES = Map.of(
            "me", List.of("a", "b", "c", "w"),
            "n1", List.of("a", "b", "c", "x"),
            "n2", List.of("y", "c"),
            "n3", List.of("z"));

    private final LikeMindedSource source = new LikeMindedSource(new Listed(HISTORIES));
    private final TasteProfile me = bought("me", "a", "b", "c");

    @Test
    void proposes_what_overlapping_shoppers_engaged_with_after_the_shared_items_first() {
        Retrieved found = source.retrieve(Subject.of(me, List.of()), VectorFilter.NONE, 10);

        double n1 = 1 / Math.log(5) + 0.5 / Math.log(4) + (1.0 / 3) / Math.log(4);
        double n2 = 1 / Math.log(5);
        assertThat(found.candidates()).extracting(Candidate::productId).containsExactly("x", "y");
        assertThat(found.candidates().get(0).score()).isCloseTo(n1 / 2, within(1e-12));
        assertThat(found.candidates().get(1).score()).isCloseTo(0.5 * n2 / Math.sqrt(2), within(1e-12));
    }

    @Test
    void never_proposes_the_shoppers_own_items_their_own_history_or_what_is_excluded() {
        Retrieved found = source.retrieve(Subject.of(me, List.of()), VectorFilter.NONE.excluding(Set.of("x")), 10);

        // w is only in the shopper's own history: they are not their own neighbour
        assertThat(found.candidates()).extracting(Candidate::productId).containsExactly("y");
    }

    @Test
    void names_the_shared_item_that_counted_most_when_the_feed_knows_its_title() {
        Anchor c = new Anchor("c", "Brass lamp", null, 1, "bought");

        Retrieved found = source.retrieve(Subject.of(me, List.of(c)), VectorFilter.NONE, 10);

        assertThat(found.candidates().get(0).because()).isEqualTo("liked by shoppers who also bought Brass lamp");
        assertThat(source.retrieve(Subject.of(me, List.of()), VectorFilter.NONE, 10).candidates().get(0).because())
                .isEqualTo("liked by shoppers with tastes like yours");
    }

    @Test
    void reads_only_the_most_similar_shoppers_histories_ties_by_id() {
        // 150 shoppers share c with the shopper; the last of them shares b too
        Map<String, List<String>> histories = new HashMap<>();
        for (int i = 0; i < 150; i++) {
            histories.put(String.format("n%03d", i), i == 149 ? List.of("b", "c", "p149") : List.of("c", String.format("p%03d", i)));
        }
        LikeMindedSource many = new LikeMindedSource(new Listed(histories));

        List<String> proposed = many.retrieve(Subject.of(bought("me", "b", "c"), List.of()), VectorFilter.NONE, 1000)
                .candidates().stream().map(Candidate::productId).toList();

        assertThat(proposed).hasSize(LikeMindedSource.NEIGHBOURS).startsWith("p149");
        assertThat(proposed.subList(1, proposed.size())).containsExactlyElementsOf(
                java.util.stream.IntStream.range(0, LikeMindedSource.NEIGHBOURS - 1)
                        .mapToObj(i -> String.format("p%03d", i)).toList());
    }

    @Test
    void proposes_nothing_for_an_unknown_shopper_or_one_nobody_overlaps() {
        assertThat(source.retrieve(Subject.of(null, List.of()), VectorFilter.NONE, 10).candidates()).isEmpty();
        assertThat(source.retrieve(Subject.of(bought("new", "q"), List.of()), VectorFilter.NONE, 10).candidates()).isEmpty();
    }

    private static TasteProfile bought(String shopper, String... products) {
        TasteProfile profile = new TasteProfile(shopper);
        Instant at = Instant.parse("2026-01-01T00:00:00Z");
        for (int i = 0; i < products.length; i++) {
            profile.apply(new TasteProfile.Engagement(products[i], "purchase", 5.0, at.plusSeconds(i), null, null, null,
                    null, null), Duration.ofDays(14), null);
        }
        return profile;
    }

    /** Histories given outright (oldest first); a product's shoppers in id order. */
    private record Listed(Map<String, List<String>> histories) implements ShopperHistories {

        @Override
        public Map<String, Shoppers> shoppersOf(Collection<String> productIds, int perProduct) {
            Map<String, List<String>> byProduct = new TreeMap<>();
            new TreeMap<>(histories).forEach((shopper, items) -> items.forEach(item ->
                    byProduct.computeIfAbsent(item, k -> new java.util.ArrayList<>()).add(shopper)));
            Map<String, Shoppers> found = new HashMap<>();
            for (String id : productIds) {
                List<String> all = byProduct.get(id);
                if (all != null) {
                    found.put(id, Shoppers.newestOf(all, perProduct));
                }
            }
            return found;
        }

        @Override
        public Map<String, List<String>> historiesOf(Collection<String> shopperIds) {
            Map<String, List<String>> found = new HashMap<>();
            shopperIds.forEach(id -> {
                if (histories.containsKey(id)) {
                    found.put(id, histories.get(id));
                }
            });
            return found;
        }
    }
}

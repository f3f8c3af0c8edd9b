package io.tastemaker.merchandising;

import io.tastemaker.merchandising.RuleEngine.Applied;
import io.tastemaker.merchandising.RuleEngine.Effect;
import io.tastemaker.merchandising.RuleEngine.Placement;
import io.tastemaker.merchandising.RuleEngine.Placed;
import io.tastemaker.merchandising.RuleEngine.Slot;
import io.tastemaker.merchandising.Rule.Action;
import io.tastemaker.merchandising.Rule.Match;
import io.tastemaker.vectors.ProductPayload;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The rule engine over a small shelf: six products, best first, with brands, categories and tags
 * to match on. Each test names the rules it applies; ids follow creation order.
 */
class RuleEngineTest {

    private static final Instant NOW = Instant.parse("2026-11-20T12:00:00Z");

    /** Best first: scores 0.90 down to 0.40. */
    private static final List<Slot> SHELF = List.of(
            slot("lamp-1", 0.90, "Lumen", List.of("Home", "Lighting", "Table Lamps"), List.of("brass", "Boho")),
            slot("lamp-2", 0.80, "Atelier Ostra", List.of("Home", "Lighting", "Pendant Lamps"), List.of("rattan", "boho")),
            slot("rug-1", 0.70, "Weaver & Co", List.of("Home", "Rugs"), List.of("wool")),
            slot("shoe-1", 0.60, "Stride", List.of("Sports", "Running"), List.of("trail")),
            slot("lamp-3", 0.50, "Lumen", List.of("Home", "Lighting", "Floor Lamps"), List.of()),
            slot("serum-1", 0.40, "Glow", List.of("Beauty", "Skincare"), List.of("vegan")));

    // ---- each action ----

    @Test
    void no_rules_leave_the_list_as_it_is() {
        Placement outcome = RuleEngine.apply(List.of(), "feed", SHELF, NOW);

        assertThat(ids(outcome)).containsExactly("lamp-1", "lamp-2", "rug-1", "shoe-1", "lamp-3", "serum-1");
        assertThat(outcome.items()).allSatisfy(p -> assertThat(p.applied()).isEmpty());
        assertThat(outcome.effects()).isEmpty();
    }

    @Test
    void a_boost_multiplies_the_score_and_moves_the_product_up() {
        Rule boost = rule(1, Action.BOOST, Match.Type.PRODUCT, "shoe-1").factor(2.0).build();

        Placement outcome = RuleEngine.apply(List.of(boost), "feed", SHELF, NOW);

        assertThat(ids(outcome)).containsExactly("shoe-1", "lamp-1", "lamp-2", "rug-1", "lamp-3", "serum-1");
        assertThat(outcome.items().get(0).score()).isCloseTo(1.2, within(1e-9));
        assertThat(outcome.items().get(0).slot().score()).isEqualTo(0.60);
        assertThat(outcome.items().get(0).applied()).containsExactly(new Applied(1, "rule 1", Action.BOOST));
    }

    @Test
    void a_bury_multiplies_the_score_and_moves_the_product_down() {
        Rule bury = rule(1, Action.BURY, Match.Type.PRODUCT, "lamp-1").factor(0.5).build();

        Placement outcome = RuleEngine.apply(List.of(bury), "feed", SHELF, NOW);

        assertThat(ids(outcome)).containsExactly("lamp-2", "rug-1", "shoe-1", "lamp-3", "lamp-1", "serum-1");
        assertThat(placed(outcome, "lamp-1").score()).isCloseTo(0.45, within(1e-9));
    }

    @Test
    void a_pin_puts_the_product_at_its_position_and_the_others_keep_their_order() {
        Rule pin = rule(1, Action.PIN, Match.Type.PRODUCT, "serum-1").position(2).build();

        Placement outcome = RuleEngine.apply(List.of(pin), "feed", SHELF, NOW);

        assertThat(ids(outcome)).containsExactly("lamp-1", "serum-1", "lamp-2", "rug-1", "shoe-1", "lamp-3");
        assertThat(placed(outcome, "serum-1").score()).isEqualTo(0.40);
    }

    @Test
    void a_block_removes_the_product() {
        Rule block = rule(1, Action.BLOCK, Match.Type.PRODUCT, "lamp-2").build();

        Placement outcome = RuleEngine.apply(List.of(block), "feed", SHELF, NOW);

        assertThat(ids(outcome)).containsExactly("lamp-1", "rug-1", "shoe-1", "lamp-3", "serum-1");
        assertThat(outcome.effects()).containsExactly(new Effect(1, "rule 1", Action.BLOCK, List.of("lamp-2")));
    }

    // ---- each match type ----

    @Nested
    class Matching {

        @Test
        void product_matches_the_exact_id_only() {
            assertThat(blocked(Match.Type.PRODUCT, "lamp-1")).containsExactly("lamp-1");
            assertThat(blocked(Match.Type.PRODUCT, "LAMP-1")).isEmpty();
            assertThat(blocked(Match.Type.PRODUCT, "lamp")).isEmpty();
        }

        @Test
        void brand_matches_exactly_ignoring_case_and_surrounding_spaces() {
            assertThat(blocked(Match.Type.BRAND, "  lumen ")).containsExactly("lamp-1", "lamp-3");
            assertThat(blocked(Match.Type.BRAND, "weaver & CO")).containsExactly("rug-1");
            assertThat(blocked(Match.Type.BRAND, "Lume")).isEmpty();
        }

        @Test
        void category_matches_a_level_name_or_a_path_prefix() {
            assertThat(blocked(Match.Type.CATEGORY, "lighting")).containsExactly("lamp-1", "lamp-2", "lamp-3");
            assertThat(blocked(Match.Type.CATEGORY, "Home > Lighting")).containsExactly("lamp-1", "lamp-2", "lamp-3");
            assertThat(blocked(Match.Type.CATEGORY, "home>lighting>FLOOR LAMPS")).containsExactly("lamp-3");
            assertThat(blocked(Match.Type.CATEGORY, "Home")).containsExactly("lamp-1", "lamp-2", "rug-1", "lamp-3");
            // not a prefix of any path, and not a substring match
            assertThat(blocked(Match.Type.CATEGORY, "Lighting > Floor Lamps")).isEmpty();
            assertThat(blocked(Match.Type.CATEGORY, "Light")).isEmpty();
        }

        @Test
        void tag_matches_any_tag_ignoring_case() {
            assertThat(blocked(Match.Type.TAG, "BOHO")).containsExactly("lamp-1", "lamp-2");
            assertThat(blocked(Match.Type.TAG, "vegan")).containsExactly("serum-1");
            assertThat(blocked(Match.Type.TAG, "bo")).isEmpty();
        }

        @Test
        void a_product_without_payload_matches_product_rules_only() {
            List<Slot> shelf = List.of(new Slot("bare", null, 0.5), SHELF.get(0));
            Rule brand = rule(1, Action.BLOCK, Match.Type.BRAND, "Lumen").build();
            Rule product = rule(2, Action.BOOST, Match.Type.PRODUCT, "bare").factor(3.0).build();

            assertThat(ids(RuleEngine.apply(List.of(brand, product), "feed", shelf, NOW))).containsExactly("bare");
        }

        private List<String> blocked(Match.Type type, String value) {
            Placement outcome = RuleEngine.apply(List.of(rule(1, Action.BLOCK, type, value).build()), "feed", SHELF, NOW);
            return outcome.effects().isEmpty() ? List.of() : outcome.effects().get(0).productIds();
        }
    }

    // ---- when and where ----

    @Nested
    class Scheduling {

        @Test
        void a_rule_that_has_not_started_does_nothing() {
            assertThat(blocksAt(NOW.plusSeconds(1), null)).isFalse();
        }

        @Test
        void a_rule_that_has_ended_does_nothing() {
            assertThat(blocksAt(NOW.minus(Duration.ofDays(2)), NOW.minusSeconds(1))).isFalse();
        }

        @Test
        void the_window_includes_its_start_and_excludes_its_end() {
            assertThat(blocksAt(NOW, NOW.plusSeconds(1))).isTrue();
            assertThat(blocksAt(NOW.minusSeconds(60), NOW)).isFalse();
        }

        @Test
        void open_ended_windows_apply() {
            assertThat(blocksAt(null, null)).isTrue();
            assertThat(blocksAt(NOW.minus(Duration.ofDays(30)), null)).isTrue();
            assertThat(blocksAt(null, NOW.plus(Duration.ofDays(30)))).isTrue();
        }

        @Test
        void a_disabled_rule_does_nothing() {
            Rule disabled = rule(1, Action.BLOCK, Match.Type.PRODUCT, "lamp-1").enabled(false).build();

            Placement outcome = RuleEngine.apply(List.of(disabled), "feed", SHELF, NOW);

            assertThat(ids(outcome)).contains("lamp-1");
            assertThat(outcome.effects()).isEmpty();
        }

        @Test
        void a_rule_applies_only_on_its_surfaces_and_everywhere_without_any() {
            Rule searchOnly = rule(1, Action.BLOCK, Match.Type.PRODUCT, "lamp-1").surfaces("search", "assistant").build();
            Rule everywhere = rule(2, Action.BLOCK, Match.Type.PRODUCT, "lamp-2").build();

            assertThat(ids(RuleEngine.apply(List.of(searchOnly, everywhere), "feed", SHELF, NOW)))
                    .contains("lamp-1").doesNotContain("lamp-2");
            assertThat(ids(RuleEngine.apply(List.of(searchOnly, everywhere), "search", SHELF, NOW)))
                    .doesNotContain("lamp-1", "lamp-2");
            assertThat(ids(RuleEngine.apply(List.of(searchOnly, everywhere), "Assistant", SHELF, NOW)))
                    .doesNotContain("lamp-1", "lamp-2");
        }

        private boolean blocksAt(Instant startsAt, Instant endsAt) {
            Rule block = rule(1, Action.BLOCK, Match.Type.PRODUCT, "lamp-1").window(startsAt, endsAt).build();
            return !ids(RuleEngine.apply(List.of(block), "feed", SHELF, NOW)).contains("lamp-1");
        }
    }

    // ---- conflicts ----

    @Nested
    class Conflicts {

        @Test
        void a_block_beats_a_boost_and_a_pin_of_higher_priority() {
            Rule block = rule(1, Action.BLOCK, Match.Type.BRAND, "Lumen").priority(-10).build();
            Rule boost = rule(2, Action.BOOST, Match.Type.PRODUCT, "lamp-3").factor(10.0).priority(100).build();
            Rule pin = rule(3, Action.PIN, Match.Type.PRODUCT, "lamp-1").position(1).priority(100).build();

            Placement outcome = RuleEngine.apply(List.of(boost, pin, block), "feed", SHELF, NOW);

            assertThat(ids(outcome)).containsExactly("lamp-2", "rug-1", "shoe-1", "serum-1");
            assertThat(outcome.effects()).containsExactly(
                    new Effect(1, "rule 1", Action.BLOCK, List.of("lamp-1", "lamp-3")));
        }

        @Test
        void of_two_boosts_on_one_product_only_the_higher_priority_one_applies() {
            Rule small = rule(1, Action.BOOST, Match.Type.TAG, "trail").factor(1.2).priority(5).build();
            Rule big = rule(2, Action.BOOST, Match.Type.CATEGORY, "Running").factor(1.5).priority(1).build();

            Placement outcome = RuleEngine.apply(List.of(big, small), "feed", SHELF, NOW);

            assertThat(placed(outcome, "shoe-1").score()).isCloseTo(0.72, within(1e-9));
            assertThat(placed(outcome, "shoe-1").applied()).extracting(Applied::ruleId).containsExactly(1L);
            assertThat(outcome.effects()).extracting(Effect::ruleId).containsExactly(1L);
        }

        @Test
        void a_bury_of_higher_priority_beats_a_boost() {
            Rule boost = rule(1, Action.BOOST, Match.Type.BRAND, "Lumen").factor(3.0).build();
            Rule bury = rule(2, Action.BURY, Match.Type.PRODUCT, "lamp-1").factor(0.1).priority(1).build();

            Placement outcome = RuleEngine.apply(List.of(boost, bury), "feed", SHELF, NOW);

            assertThat(ids(outcome)).containsExactly("lamp-3", "lamp-2", "rug-1", "shoe-1", "serum-1", "lamp-1");
            assertThat(outcome.effects()).containsExactly(
                    new Effect(2, "rule 2", Action.BURY, List.of("lamp-1")),
                    new Effect(1, "rule 1", Action.BOOST, List.of("lamp-3")));
        }

        @Test
        void equal_priorities_go_to_the_most_recently_updated_rule_then_the_lowest_id() {
            Rule older = rule(1, Action.BOOST, Match.Type.PRODUCT, "serum-1").factor(1.1).updatedAt(NOW.minusSeconds(60)).build();
            Rule newer = rule(2, Action.BOOST, Match.Type.PRODUCT, "serum-1").factor(1.3).updatedAt(NOW.minusSeconds(5)).build();
            assertThat(placed(RuleEngine.apply(List.of(older, newer), "feed", SHELF, NOW), "serum-1").applied())
                    .extracting(Applied::ruleId).containsExactly(2L);

            Rule twin = rule(3, Action.BOOST, Match.Type.PRODUCT, "serum-1").factor(1.3).updatedAt(NOW.minusSeconds(5)).build();
            Rule sibling = rule(4, Action.BOOST, Match.Type.PRODUCT, "serum-1").factor(1.3).updatedAt(NOW.minusSeconds(5)).build();
            assertThat(placed(RuleEngine.apply(List.of(sibling, twin), "feed", SHELF, NOW), "serum-1").applied())
                    .extracting(Applied::ruleId).containsExactly(3L);
        }

        @Test
        void two_pins_on_one_position_go_by_priority_and_the_loser_takes_the_next_free_position_below() {
            Rule low = rule(1, Action.PIN, Match.Type.PRODUCT, "shoe-1").position(1).priority(1).build();
            Rule high = rule(2, Action.PIN, Match.Type.PRODUCT, "serum-1").position(1).priority(9).build();
            Rule second = rule(3, Action.PIN, Match.Type.PRODUCT, "rug-1").position(2).priority(5).build();

            Placement outcome = RuleEngine.apply(List.of(low, high, second), "feed", SHELF, NOW);

            // serum-1 wins position 1, rug-1 holds 2, so shoe-1 slides to the first free one below: 3
            assertThat(ids(outcome)).containsExactly("serum-1", "rug-1", "shoe-1", "lamp-1", "lamp-2", "lamp-3");
            assertThat(outcome.effects()).extracting(Effect::ruleId).containsExactly(2L, 3L, 1L);
        }

        @Test
        void a_pin_beyond_the_end_of_the_list_puts_the_product_last() {
            Rule pin = rule(1, Action.PIN, Match.Type.PRODUCT, "lamp-1").position(100).build();

            assertThat(ids(RuleEngine.apply(List.of(pin), "feed", SHELF, NOW)))
                    .containsExactly("lamp-2", "rug-1", "shoe-1", "lamp-3", "serum-1", "lamp-1");
        }

        @Test
        void two_pins_beyond_the_end_take_the_last_two_positions() {
            Rule first = rule(1, Action.PIN, Match.Type.PRODUCT, "lamp-1").position(50).priority(2).build();
            Rule second = rule(2, Action.PIN, Match.Type.PRODUCT, "lamp-2").position(60).priority(1).build();

            assertThat(ids(RuleEngine.apply(List.of(first, second), "feed", SHELF, NOW)))
                    .containsExactly("rug-1", "shoe-1", "lamp-3", "serum-1", "lamp-2", "lamp-1");
        }

        @Test
        void group_pins_take_the_best_ranked_match_not_already_pinned() {
            Rule first = rule(1, Action.PIN, Match.Type.BRAND, "Lumen").position(4).priority(2).build();
            Rule again = rule(2, Action.PIN, Match.Type.BRAND, "Lumen").position(5).priority(1).build();

            Placement outcome = RuleEngine.apply(List.of(again, first), "feed", SHELF, NOW);

            assertThat(ids(outcome)).containsExactly("lamp-2", "rug-1", "shoe-1", "lamp-1", "lamp-3", "serum-1");
            assertThat(outcome.effects()).containsExactly(
                    new Effect(1, "rule 1", Action.PIN, List.of("lamp-1")),
                    new Effect(2, "rule 2", Action.PIN, List.of("lamp-3")));
        }

        @Test
        void a_pin_sees_the_ranking_after_boosts() {
            Rule boost = rule(1, Action.BOOST, Match.Type.PRODUCT, "lamp-3").factor(2.0).build();
            Rule pin = rule(2, Action.PIN, Match.Type.BRAND, "Lumen").position(6).build();

            Placement outcome = RuleEngine.apply(List.of(boost, pin), "feed", SHELF, NOW);

            // lamp-3 (1.0) now outranks lamp-1 (0.9), so the brand pin takes lamp-3
            assertThat(ids(outcome)).containsExactly("lamp-1", "lamp-2", "rug-1", "shoe-1", "serum-1", "lamp-3");
            assertThat(placed(outcome, "lamp-3").applied()).extracting(Applied::action)
                    .containsExactly(Action.BOOST, Action.PIN);
        }

        @Test
        void a_pin_of_a_product_not_in_the_list_does_nothing() {
            Rule pin = rule(1, Action.PIN, Match.Type.PRODUCT, "elsewhere").position(1).build();

            Placement outcome = RuleEngine.apply(List.of(pin), "feed", SHELF, NOW);

            assertThat(ids(outcome)).containsExactly("lamp-1", "lamp-2", "rug-1", "shoe-1", "lamp-3", "serum-1");
            assertThat(outcome.effects()).isEmpty();
        }

        @Test
        void the_outcome_does_not_depend_on_the_order_rules_are_listed_in() {
            List<Rule> rules = new ArrayList<>(List.of(
                    rule(1, Action.BOOST, Match.Type.CATEGORY, "Lighting").factor(1.4).build(),
                    rule(2, Action.BURY, Match.Type.TAG, "boho").factor(0.5).build(),
                    rule(3, Action.PIN, Match.Type.TAG, "wool").position(1).build(),
                    rule(4, Action.PIN, Match.Type.BRAND, "Glow").position(1).build(),
                    rule(5, Action.BLOCK, Match.Type.PRODUCT, "shoe-1").build()));
            Placement expected = RuleEngine.apply(rules, "feed", SHELF, NOW);
            for (int i = 0; i < 10; i++) {
                Collections.shuffle(rules, new java.util.Random(i));
                assertThat(RuleEngine.apply(rules, "feed", SHELF, NOW)).isEqualTo(expected);
            }
        }
    }

    // ---- attribution ----

    @Test
    void effects_list_exactly_the_products_each_rule_changed() {
        List<Rule> rules = List.of(
                rule(1, Action.BOOST, Match.Type.CATEGORY, "Lighting").factor(1.5).build(),
                rule(2, Action.BURY, Match.Type.TAG, "boho").factor(0.5).priority(1).build(),
                rule(3, Action.BLOCK, Match.Type.CATEGORY, "Skincare").build(),
                rule(4, Action.PIN, Match.Type.BRAND, "Stride").position(1).build(),
                rule(5, Action.BOOST, Match.Type.BRAND, "Nobody").factor(2.0).build());

        Placement outcome = RuleEngine.apply(rules, "feed", SHELF, NOW);

        assertThat(outcome.effects()).containsExactly(
                new Effect(3, "rule 3", Action.BLOCK, List.of("serum-1")),
                new Effect(2, "rule 2", Action.BURY, List.of("lamp-1", "lamp-2")),
                new Effect(1, "rule 1", Action.BOOST, List.of("lamp-3")),
                new Effect(4, "rule 4", Action.PIN, List.of("shoe-1")));
        // lamp-3 0.75, rug-1 0.70, lamp-1 0.45, lamp-2 0.40; shoe-1 pinned first
        assertThat(ids(outcome)).containsExactly("shoe-1", "lamp-3", "rug-1", "lamp-1", "lamp-2");
        assertThat(placed(outcome, "rug-1").applied()).isEmpty();
        assertThat(placed(outcome, "lamp-3").applied()).containsExactly(new Applied(1, "rule 1", Action.BOOST));
    }

    @Test
    void pinned_product_ids_are_those_of_live_product_pins_on_the_surface() {
        List<Rule> rules = List.of(
                rule(1, Action.PIN, Match.Type.PRODUCT, "far-away").position(1).build(),
                rule(2, Action.PIN, Match.Type.PRODUCT, "search-only").position(1).surfaces("search").build(),
                rule(3, Action.PIN, Match.Type.PRODUCT, "expired").position(1).window(null, NOW.minusSeconds(1)).build(),
                rule(4, Action.PIN, Match.Type.BRAND, "Lumen").position(1).build(),
                rule(5, Action.BOOST, Match.Type.PRODUCT, "boosted").factor(2.0).build());

        assertThat(RuleEngine.pinnedProductIds(rules, "feed", NOW)).containsExactly("far-away");
        assertThat(RuleEngine.pinnedProductIds(rules, "search", NOW)).containsExactly("far-away", "search-only");
    }

    // ---- helpers ----

    private static Slot slot(String id, double score, String brand, List<String> path, List<String> tags) {
        return new Slot(id, new ProductPayload(id, brand, path, tags, BigDecimal.TEN, "USD", null, true, "h"), score);
    }

    private static List<String> ids(Placement outcome) {
        return outcome.items().stream().map(p -> p.slot().productId()).toList();
    }

    private static Placed placed(Placement outcome, String id) {
        return outcome.items().stream().filter(p -> p.slot().productId().equals(id)).findFirst().orElseThrow();
    }

    private static Builder rule(long id, Action action, Match.Type type, String value) {
        return new Builder(id, action, new Match(type, value));
    }

    private static final class Builder {
        private final long id;
        private final Action action;
        private final Match match;
        private Double factor;
        private Integer position;
        private Set<String> surfaces = Set.of();
        private Instant startsAt;
        private Instant endsAt;
        private int priority;
        private boolean enabled = true;
        private Instant updatedAt = NOW.minus(Duration.ofDays(1));

        Builder(long id, Action action, Match match) {
            this.id = id;
            this.action = action;
            this.match = match;
        }

        Builder factor(double f) {
            factor = f;
            return this;
        }

        Builder position(int p) {
            position = p;
            return this;
        }

        Builder surfaces(String... s) {
            surfaces = Set.of(s);
            return this;
        }

        Builder window(Instant start, Instant end) {
            startsAt = start;
            endsAt = end;
            return this;
        }

        Builder priority(int p) {
            priority = p;
            return this;
        }

        Builder enabled(boolean e) {
            enabled = e;
            return this;
        }

        Builder updatedAt(Instant at) {
            updatedAt = at;
            return this;
        }

        Rule build() {
            return new Rule(id, "rule " + id, action, match, factor, position, surfaces, startsAt, endsAt, priority, enabled,
                    null, 1, updatedAt, updatedAt);
        }
    }
}

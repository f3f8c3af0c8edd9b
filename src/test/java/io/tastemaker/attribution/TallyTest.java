package io.tastemaker.attribution;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TallyTest {

    private static final ServedListRow LIST = new ServedListRow("r-1", Instant.parse("2026-11-23T23:59:00Z"), "home-feed",
            "bge-v1", 7L, "treatment", "u-1", List.of("p-1", "p-2", "p-3"), List.of("", "12", "12,15"));

    @Test
    void a_served_list_counts_for_its_placement_each_rule_that_moved_an_item_and_its_shopper() {
        Tally tally = new Tally("USD");
        tally.served(LIST, true);
        assertThat(tally.rows()).containsOnlyKeys(key(""), key("12"), key("15"));
        assertThat(tally.rows().values()).allSatisfy(c -> assertThat(c.served).isEqualTo(1));
        assertThat(tally.shoppers().get(new Tally.Shopper(7, "treatment", "u-1")).served).isEqualTo(1);
    }

    @Test
    void an_outcome_counts_for_the_placement_and_only_the_rules_of_its_item() {
        Tally tally = new Tally("USD");
        tally.credit(LIST, "p-2", Outcome.CLICK, null, null, true);
        tally.credit(LIST, "p-3", Outcome.PURCHASE, new BigDecimal("20.50"), "USD", true);
        tally.credit(LIST, "p-1", Outcome.PURCHASE, new BigDecimal("9"), "EUR", true);
        Tally.Counts placement = tally.rows().get(key(""));
        assertThat(placement.clicks).isEqualTo(1);
        assertThat(placement.purchases).isEqualTo(2);
        assertThat(placement.revenue).isEqualByComparingTo("20.50");
        assertThat(placement.otherCurrencyPurchases).isEqualTo(1);
        assertThat(tally.rows().get(key("12")).clicks).isEqualTo(1);
        assertThat(tally.rows().get(key("12")).purchases).isEqualTo(1);
        assertThat(tally.rows().get(key("15")).clicks).isZero();
        assertThat(tally.rows().get(key("15")).revenue).isEqualByComparingTo("20.50");
    }

    @Test
    void an_erased_or_anonymous_shopper_gets_no_totals() {
        Tally tally = new Tally("USD");
        tally.served(LIST, false);
        tally.credit(new ServedListRow("r-2", LIST.servedAt(), "search", "bge-v1", null, null, null, List.of("p-1"),
                List.of("")), "p-1", Outcome.CLICK, null, null, true);
        assertThat(tally.shoppers()).isEmpty();
        assertThat(tally.rows()).containsKey(new Tally.Key(LocalDate.parse("2026-11-23"), "search", "bge-v1", 0, "", ""));
    }

    private static Tally.Key key(String rule) {
        return new Tally.Key(LocalDate.parse("2026-11-23"), "home-feed", "bge-v1", 7, "treatment", rule);
    }
}

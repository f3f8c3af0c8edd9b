package io.tastemaker.attribution;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.Map;
import java.util.TreeMap;

/**
 * One transaction's additions to the aggregates and to the experiments' per-shopper totals,
 * gathered in memory and written with one statement per table. Keys are sorted, so concurrent
 * writers (consumer threads, the served-list counter) lock rows in one order. Plain Java.
 */
final class Tally {

    /** A row of {@code placement_outcomes}; experiment 0 and variant "" when none ran, rule "" for the whole placement. */
    record Key(LocalDate day, String placement, String modelVersion, long experimentId, String variant, String ruleId)
            implements Comparable<Key> {
        private static final Comparator<Key> ORDER = Comparator.comparing(Key::day).thenComparing(Key::placement)
                .thenComparing(Key::modelVersion).thenComparingLong(Key::experimentId).thenComparing(Key::variant)
                .thenComparing(Key::ruleId);

        @Override
        public int compareTo(Key o) {
            return ORDER.compare(this, o);
        }
    }

    /** A row of {@code experiment_shopper_outcomes}. */
    record Shopper(long experimentId, String variant, String userId) implements Comparable<Shopper> {
        private static final Comparator<Shopper> ORDER = Comparator.comparingLong(Shopper::experimentId)
                .thenComparing(Shopper::variant).thenComparing(Shopper::userId);

        @Override
        public int compareTo(Shopper o) {
            return ORDER.compare(this, o);
        }
    }

    /** Counts added to one row. */
    static final class Counts {
        long served;
        long impressions;
        long clicks;
        long pins;
        long carts;
        long purchases;
        BigDecimal revenue = BigDecimal.ZERO;
        long otherCurrencyPurchases;

        void add(Outcome outcome, BigDecimal value, boolean inReportingCurrency) {
            switch (outcome) {
                case IMPRESSION -> impressions++;
                case CLICK -> clicks++;
                case PIN -> pins++;
                case CART -> carts++;
                case PURCHASE -> {
                    purchases++;
                    if (value != null && inReportingCurrency) {
                        revenue = revenue.add(value);
                    } else if (value != null) {
                        otherCurrencyPurchases++;
                    }
                }
            }
        }
    }

    private final String reportingCurrency;
    private final Map<Key, Counts> rows = new TreeMap<>();
    private final Map<Shopper, Counts> shoppers = new TreeMap<>();

    Tally(String reportingCurrency) {
        this.reportingCurrency = reportingCurrency;
    }

    /** A list was served: its placement row and each rule that moved one of its items; its shopper when {@code perShopper}. */
    void served(ServedListRow list, boolean perShopper) {
        row(list, "").served++;
        list.rules().forEach(rule -> row(list, rule).served++);
        if (perShopper && list.inExperiment()) {
            shopper(list).served++;
        }
    }

    /** An outcome credited to an item of the list: the placement row, the item's rules, and its shopper when {@code perShopper}. */
    void credit(ServedListRow list, String productId, Outcome outcome, BigDecimal value, String currency, boolean perShopper) {
        boolean reporting = reportingCurrency.equals(currency);
        row(list, "").add(outcome, value, reporting);
        list.rulesOf(productId).forEach(rule -> row(list, rule).add(outcome, value, reporting));
        if (perShopper && list.inExperiment()) {
            shopper(list).add(outcome, value, reporting);
        }
    }

    Map<Key, Counts> rows() {
        return rows;
    }

    Map<Shopper, Counts> shoppers() {
        return shoppers;
    }

    boolean isEmpty() {
        return rows.isEmpty() && shoppers.isEmpty();
    }

    private Counts row(ServedListRow list, String rule) {
        return rows.computeIfAbsent(new Key(list.day(), list.placement(), list.modelVersion(),
                list.experimentId() == null ? 0 : list.experimentId(), list.variant() == null ? "" : list.variant(), rule),
                k -> new Counts());
    }

    private Counts shopper(ServedListRow list) {
        return shoppers.computeIfAbsent(new Shopper(list.experimentId(), list.variant(), list.userId()), k -> new Counts());
    }
}

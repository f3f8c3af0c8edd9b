package io.tastemaker.attribution;

import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Reads the aggregates for the analytics endpoints. Blocking: worker threads only. */
@ApplicationScoped
class Analytics {

    private final Pool pool;

    Analytics(Pool pool) {
        this.pool = pool;
    }

    /** What the rows are filtered by; null means any. {@code variant} "" is "no experiment". */
    record Filter(LocalDate from, LocalDate to, String placement, String modelVersion, String variant, String ruleId,
                  boolean perDay) {
    }

    /** One row of the answer: per day (or the whole range when {@code day} is null). */
    record Figures(LocalDate day, String placement, String modelVersion, Long experimentId, String variant, String ruleId,
                long served, long impressions, long clicks, long pins, long carts, long purchases, BigDecimal revenue,
                long otherCurrencyPurchases) {
    }

    /** Rows of the placements ({@code rules} false: rule_id '') or of the rules (each rule's items). */
    List<Figures> rows(Filter f, boolean rules) {
        String keys = (f.perDay() ? "day, " : "") + "placement, model_version, experiment_id, variant"
                + (rules ? ", rule_id" : "");
        String sql = "SELECT " + keys + ", sum(served), sum(impressions), sum(clicks), sum(pins), sum(carts),"
                + " sum(purchases),"
                + " sum(revenue), sum(other_currency_purchases) FROM placement_outcomes"
                + " WHERE day BETWEEN $1 AND $2 AND " + (rules ? "rule_id <> ''" : "rule_id = ''")
                + " AND ($3::text IS NULL OR placement = $3) AND ($4::text IS NULL OR model_version = $4)"
                + " AND ($5::text IS NULL OR variant = $5) AND ($6::text IS NULL OR rule_id = $6)"
                + " GROUP BY " + keys + " ORDER BY " + keys;
        List<Figures> rows = new ArrayList<>();
        for (Row r : OutcomeStore.run(pool, sql, Tuple.tuple(java.util.Arrays.asList(f.from(), f.to(), f.placement(),
                f.modelVersion(), f.variant(), f.ruleId())))) {
            int i = 0;
            LocalDate day = f.perDay() ? r.getLocalDate(i++) : null;
            String placement = r.getString(i++);
            String model = r.getString(i++);
            long experiment = r.getLong(i++);
            String variant = r.getString(i++);
            String rule = rules ? r.getString(i++) : null;
            rows.add(new Figures(day, placement, model, experiment == 0 ? null : experiment,
                    variant.isEmpty() ? null : variant, rule, r.getLong(i++), r.getLong(i++), r.getLong(i++),
                    r.getLong(i++), r.getLong(i++), r.getLong(i++), r.getBigDecimal(i++), r.getLong(i)));
        }
        return rows;
    }

    /** Outcomes not credited in the range, per outcome and reason. */
    Map<String, Map<String, Long>> unattributed(LocalDate from, LocalDate to) {
        Map<String, Map<String, Long>> counts = new TreeMap<>();
        for (Row r : OutcomeStore.run(pool, "SELECT reason, outcome, sum(events) FROM unattributed_outcomes"
                + " WHERE day BETWEEN $1 AND $2 GROUP BY reason, outcome", Tuple.of(from, to))) {
            counts.computeIfAbsent(r.getString(0), k -> new TreeMap<>()).put(r.getString(1), r.getLong(2));
        }
        return counts;
    }
}

package io.tastemaker.attribution;

import io.tastemaker.db.BlockingSql;
import io.tastemaker.recommend.ServedLists.ServedList;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The outcome tables of {@code V12__outcomes.sql} and the reads of {@code served_lists}. Every
 * write happens inside one transaction with what made it (the consumer's offsets, the served lists
 * themselves, the pending rows it deletes), so a crash repeats a step entirely or not at all. Locking
 * order, as the engagement consumer's: the engagement generation row (shared; an erasure takes it
 * exclusively), then offsets, then rows in key order. Blocking: worker and consumer threads only.
 */
@ApplicationScoped
class OutcomeStore {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final String LIST_COLUMNS = "recomm_id, served_at, placement, model_version, experiment_id, variant,"
            + " user_id, product_ids, rule_ids";
    private static final String INSERT_SERVED = "INSERT INTO served_lists (recomm_id, served_at, placement, surface,"
            + " user_id, model_version, experiment_id, variant, first_position, product_ids, rule_ids)"
            + " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (recomm_id) DO NOTHING RETURNING recomm_id";

    private final Pool pool;

    OutcomeStore(Pool pool) {
        this.pool = pool;
    }

    <T> T inTransaction(Function<Tx, T> work) {
        return BlockingSql.inTransaction(pool, TIMEOUT, c -> work.apply(new Tx(c)));
    }

    /** An outcome to credit to a list's item: once per (recommId, productId, outcome). */
    record Credit(ServedListRow list, String productId, Outcome outcome, BigDecimal value, String currency) {
        String key() {
            return list.recommId() + '\u0000' + productId + '\u0000' + outcome.key();
        }
    }

    /** An outcome waiting for its list to be recorded. */
    record Pending(String recommId, String productId, Outcome outcome, String userId, BigDecimal value, String currency,
                   Instant loggedAt) {
    }

    /** Why an outcome was not credited. */
    enum Unattributed {
        UNKNOWN_RECOMM_ID, PRODUCT_NOT_IN_LIST;

        String key() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    record UnattributedKey(LocalDate day, Outcome outcome, Unattributed reason) implements Comparable<UnattributedKey> {
        @Override
        public int compareTo(UnattributedKey o) {
            int c = day.compareTo(o.day);
            c = c != 0 ? c : outcome.compareTo(o.outcome);
            return c != 0 ? c : reason.compareTo(o.reason);
        }
    }

    final class Tx {
        private final SqlConnection c;

        private Tx(SqlConnection c) {
            this.c = c;
        }

        /** Shares the engagement generation row: an erasure (which takes it exclusively) cannot commit under this transaction. */
        void holdOffErasures() {
            run(c, "SELECT generation FROM engagement_generation WHERE id = 1 FOR SHARE", Tuple.tuple());
        }

        Map<Integer, Long> lockOffsets(String topic, Collection<Integer> partitions) {
            Map<Integer, Long> offsets = new HashMap<>();
            for (Row row : run(c, "SELECT partition, next_offset FROM outcome_offsets WHERE topic = $1"
                    + " AND partition = ANY($2) ORDER BY partition FOR UPDATE", Tuple.of(topic, partitions.toArray(Integer[]::new)))) {
                offsets.put(row.getInteger(0), row.getLong(1));
            }
            return offsets;
        }

        void saveOffsets(String topic, Map<Integer, Long> next) {
            if (next.isEmpty()) {
                return;
            }
            Map<Integer, Long> sorted = new TreeMap<>(next);
            run(c, "INSERT INTO outcome_offsets (topic, partition, next_offset)"
                    + " SELECT $1, p, o FROM unnest($2::int[], $3::int8[]) AS t(p, o)"
                    + " ON CONFLICT (topic, partition) DO UPDATE SET next_offset = excluded.next_offset",
                    Tuple.of(topic, sorted.keySet().toArray(Integer[]::new), sorted.values().toArray(Long[]::new)));
        }

        Set<String> erased(Collection<String> userIds) {
            Set<String> erased = new HashSet<>();
            if (!userIds.isEmpty()) {
                for (Row row : run(c, "SELECT user_id FROM shopper_erasures WHERE user_id = ANY($1)",
                        Tuple.of(userIds.toArray(String[]::new)))) {
                    erased.add(row.getString(0));
                }
            }
            return erased;
        }

        Map<String, ServedListRow> servedLists(Collection<String> recommIds) {
            Map<String, ServedListRow> lists = new HashMap<>();
            if (!recommIds.isEmpty()) {
                for (Row row : run(c, "SELECT " + LIST_COLUMNS + " FROM served_lists WHERE recomm_id = ANY($1)",
                        Tuple.of(recommIds.toArray(String[]::new)))) {
                    lists.put(row.getString(0), list(row));
                }
            }
            return lists;
        }

        /** Records the credits; answers those not credited before (a duplicate or a replay finds its row there). */
        List<Credit> credit(Collection<Credit> credits) {
            if (credits.isEmpty()) {
                return List.of();
            }
            TreeMap<String, Credit> byKey = new TreeMap<>();
            credits.forEach(cr -> byKey.putIfAbsent(cr.key(), cr));
            List<Credit> sorted = List.copyOf(byKey.values());
            Set<String> fresh = new HashSet<>();
            for (Row row : run(c, "INSERT INTO outcome_credits (recomm_id, product_id, outcome, served_at)"
                            + " SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[])"
                            + " ON CONFLICT DO NOTHING RETURNING recomm_id, product_id, outcome",
                    Tuple.of(sorted.stream().map(cr -> cr.list().recommId()).toArray(String[]::new),
                            sorted.stream().map(Credit::productId).toArray(String[]::new),
                            sorted.stream().map(cr -> cr.outcome().key()).toArray(String[]::new),
                            sorted.stream().map(cr -> utc(cr.list().servedAt())).toArray(OffsetDateTime[]::new)))) {
                fresh.add(row.getString(0) + '\u0000' + row.getString(1) + '\u0000' + row.getString(2));
            }
            return sorted.stream().filter(cr -> fresh.contains(cr.key())).toList();
        }

        void add(Tally tally) {
            if (!tally.rows().isEmpty()) {
                var keys = List.copyOf(tally.rows().keySet());
                var counts = keys.stream().map(tally.rows()::get).toList();
                run(c, "INSERT INTO placement_outcomes AS o (day, placement, model_version, experiment_id, variant, rule_id,"
                                + " served, impressions, clicks, carts, purchases, revenue, other_currency_purchases, pins)"
                                + " SELECT d, p, m, e, v, r, s, i, k, c, b, n::numeric, x, q FROM unnest($1::date[], $2::text[],"
                                + " $3::text[], $4::int8[], $5::text[], $6::text[], $7::int8[], $8::int8[], $9::int8[],"
                                + " $10::int8[], $11::int8[], $12::text[], $13::int8[], $14::int8[])"
                                + " AS t(d, p, m, e, v, r, s, i, k, c, b, n, x, q)"
                                + " ON CONFLICT (day, placement, model_version, experiment_id, variant, rule_id) DO UPDATE SET"
                                + " served = o.served + excluded.served, impressions = o.impressions + excluded.impressions,"
                                + " clicks = o.clicks + excluded.clicks, pins = o.pins + excluded.pins,"
                                + " carts = o.carts + excluded.carts,"
                                + " purchases = o.purchases + excluded.purchases, revenue = o.revenue + excluded.revenue,"
                                + " other_currency_purchases = o.other_currency_purchases + excluded.other_currency_purchases",
                        Tuple.tuple(List.of(keys.stream().map(Tally.Key::day).toArray(LocalDate[]::new),
                                keys.stream().map(Tally.Key::placement).toArray(String[]::new),
                                keys.stream().map(Tally.Key::modelVersion).toArray(String[]::new),
                                keys.stream().map(Tally.Key::experimentId).toArray(Long[]::new),
                                keys.stream().map(Tally.Key::variant).toArray(String[]::new),
                                keys.stream().map(Tally.Key::ruleId).toArray(String[]::new),
                                counts.stream().map(n -> n.served).toArray(Long[]::new),
                                counts.stream().map(n -> n.impressions).toArray(Long[]::new),
                                counts.stream().map(n -> n.clicks).toArray(Long[]::new),
                                counts.stream().map(n -> n.carts).toArray(Long[]::new),
                                counts.stream().map(n -> n.purchases).toArray(Long[]::new),
                                counts.stream().map(n -> n.revenue.toPlainString()).toArray(String[]::new),
                                counts.stream().map(n -> n.otherCurrencyPurchases).toArray(Long[]::new),
                                counts.stream().map(n -> n.pins).toArray(Long[]::new))));
            }
            if (!tally.shoppers().isEmpty()) {
                var keys = List.copyOf(tally.shoppers().keySet());
                var counts = keys.stream().map(tally.shoppers()::get).toList();
                run(c, "INSERT INTO experiment_shopper_outcomes AS o (experiment_id, variant, user_id, lists, impressions,"
                                + " clicks, carts, purchases, revenue) SELECT e, v, u, s, i, k, c, b, n::numeric FROM"
                                + " unnest($1::int8[], $2::text[], $3::text[], $4::int8[], $5::int8[], $6::int8[], $7::int8[],"
                                + " $8::int8[], $9::text[]) AS t(e, v, u, s, i, k, c, b, n)"
                                + " ON CONFLICT (experiment_id, variant, user_id) DO UPDATE SET lists = o.lists + excluded.lists,"
                                + " impressions = o.impressions + excluded.impressions, clicks = o.clicks + excluded.clicks,"
                                + " carts = o.carts + excluded.carts, purchases = o.purchases + excluded.purchases,"
                                + " revenue = o.revenue + excluded.revenue",
                        Tuple.tuple(List.of(keys.stream().map(Tally.Shopper::experimentId).toArray(Long[]::new),
                                keys.stream().map(Tally.Shopper::variant).toArray(String[]::new),
                                keys.stream().map(Tally.Shopper::userId).toArray(String[]::new),
                                counts.stream().map(n -> n.served).toArray(Long[]::new),
                                counts.stream().map(n -> n.impressions).toArray(Long[]::new),
                                counts.stream().map(n -> n.clicks).toArray(Long[]::new),
                                counts.stream().map(n -> n.carts).toArray(Long[]::new),
                                counts.stream().map(n -> n.purchases).toArray(Long[]::new),
                                counts.stream().map(n -> n.revenue.toPlainString()).toArray(String[]::new))));
            }
        }

        void addPending(Collection<Pending> pending) {
            if (pending.isEmpty()) {
                return;
            }
            List<Pending> sorted = pending.stream().sorted(java.util.Comparator.comparing(Pending::recommId)
                    .thenComparing(Pending::productId).thenComparing(Pending::outcome)).toList();
            run(c, "INSERT INTO outcome_pending (recomm_id, product_id, outcome, user_id, value, currency, logged_at)"
                            + " SELECT r, p, o, u, v::numeric, k, t FROM unnest($1::text[], $2::text[], $3::text[], $4::text[],"
                            + " $5::text[], $6::text[], $7::timestamptz[]) AS x(r, p, o, u, v, k, t) ON CONFLICT DO NOTHING",
                    Tuple.tuple(List.of(sorted.stream().map(Pending::recommId).toArray(String[]::new),
                            sorted.stream().map(Pending::productId).toArray(String[]::new),
                            sorted.stream().map(p -> p.outcome().key()).toArray(String[]::new),
                            sorted.stream().map(Pending::userId).toArray(String[]::new),
                            sorted.stream().map(p -> p.value() == null ? null : p.value().toPlainString()).toArray(String[]::new),
                            sorted.stream().map(Pending::currency).toArray(String[]::new),
                            sorted.stream().map(p -> utc(p.loggedAt())).toArray(OffsetDateTime[]::new))));
        }

        void addUnattributed(Map<UnattributedKey, Long> counts) {
            if (counts.isEmpty()) {
                return;
            }
            TreeMap<UnattributedKey, Long> sorted = new TreeMap<>(counts);
            run(c, "INSERT INTO unattributed_outcomes AS u (day, outcome, reason, events)"
                            + " SELECT * FROM unnest($1::date[], $2::text[], $3::text[], $4::int8[])"
                            + " ON CONFLICT (day, outcome, reason) DO UPDATE SET events = u.events + excluded.events",
                    Tuple.of(sorted.keySet().stream().map(UnattributedKey::day).toArray(LocalDate[]::new),
                            sorted.keySet().stream().map(k -> k.outcome().key()).toArray(String[]::new),
                            sorted.keySet().stream().map(k -> k.reason().key()).toArray(String[]::new),
                            sorted.values().toArray(Long[]::new)));
        }

        /**
         * Inserts served lists; answers those not recorded before (a batch retried after a commit
         * whose answer was lost finds its rows there, and must not count them twice).
         */
        List<ServedListRow> record(List<ServedList> lists) {
            List<Tuple> rows = new ArrayList<>(lists.size());
            for (ServedList s : lists) {
                rows.add(Tuple.tuple(List.of(s.recommId(), utc(s.servedAt()), s.placement(), s.surface().key()))
                        .addString(s.userId())
                        .addString(s.modelVersion())
                        .addLong(s.experimentId())
                        .addString(s.variant())
                        .addInteger(s.firstPosition())
                        .addArrayOfString(s.productIds().toArray(String[]::new))
                        .addArrayOfString(s.ruleIds().stream().map(ServedListRow::joined).toArray(String[]::new)));
            }
            Set<String> inserted = new HashSet<>();
            for (RowSet<Row> result = BlockingSql.batch(c, INSERT_SERVED, rows, TIMEOUT); result != null;
                    result = result.next()) {
                result.forEach(row -> inserted.add(row.getString(0)));
            }
            // remove: the same list twice in one batch is inserted (and answered) once
            return lists.stream().filter(s -> inserted.remove(s.recommId())).map(ServedListRow::of).toList();
        }

        /** Deletes and answers up to {@code limit} waiting outcomes whose list is recorded now, or that waited since before {@code expired}. */
        List<Pending> takePending(Instant expired, int limit) {
            List<Pending> pending = new ArrayList<>();
            for (Row row : run(c, "DELETE FROM outcome_pending p USING (SELECT recomm_id, product_id, outcome FROM outcome_pending q"
                    + " WHERE logged_at < $1 OR EXISTS (SELECT 1 FROM served_lists s WHERE s.recomm_id = q.recomm_id)"
                    + " ORDER BY recomm_id, product_id, outcome LIMIT $2 FOR UPDATE SKIP LOCKED) t"
                    + " WHERE (p.recomm_id, p.product_id, p.outcome) = (t.recomm_id, t.product_id, t.outcome)"
                    + " RETURNING p.recomm_id, p.product_id, p.outcome, p.user_id, p.value, p.currency, p.logged_at",
                    Tuple.of(utc(expired), limit))) {
                pending.add(new Pending(row.getString(0), row.getString(1), Outcome.of(row.getString(2)), row.getString(3),
                        row.getBigDecimal(4), row.getString(5), BlockingSql.instant(row.getOffsetDateTime(6))));
            }
            return pending;
        }
    }

    /** Deletes up to {@code limit} served lists (and their credits) served before {@code before}; answers how many lists. */
    long purge(Instant before, int limit) {
        return inTransaction(tx -> {
            run(tx.c, "DELETE FROM outcome_credits c USING (SELECT recomm_id, product_id, outcome FROM outcome_credits"
                    + " WHERE served_at < $1 LIMIT $2) o WHERE (c.recomm_id, c.product_id, c.outcome)"
                    + " = (o.recomm_id, o.product_id, o.outcome)", Tuple.of(utc(before), limit));
            return (long) run(tx.c, "DELETE FROM served_lists s USING (SELECT recomm_id FROM served_lists"
                    + " WHERE served_at < $1 LIMIT $2) o WHERE s.recomm_id = o.recomm_id",
                    Tuple.of(utc(before), limit)).rowCount();
        });
    }

    /** Stored next offsets of the outcome consumer for {@code topic}. */
    Map<Integer, Long> offsets(String topic) {
        Map<Integer, Long> offsets = new HashMap<>();
        for (Row row : run(pool, "SELECT partition, next_offset FROM outcome_offsets WHERE topic = $1", Tuple.of(topic))) {
            offsets.put(row.getInteger(0), row.getLong(1));
        }
        return offsets;
    }

    private static String prefixed(String alias) {
        return String.join(", ", Arrays.stream(LIST_COLUMNS.split(", ")).map(col -> alias + col).toList());
    }

    private static ServedListRow list(Row row) {
        return new ServedListRow(row.getString(0), BlockingSql.instant(row.getOffsetDateTime(1)), row.getString(2),
                row.getString(3), row.getLong(4), row.getString(5), row.getString(6),
                List.of(row.getArrayOfStrings(7)), Arrays.asList(row.getArrayOfStrings(8)));
    }

    static RowSet<Row> run(SqlClient client, String sql, Tuple args) {
        return BlockingSql.query(client, sql, args, TIMEOUT);
    }

    static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}

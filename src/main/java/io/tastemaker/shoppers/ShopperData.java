package io.tastemaker.shoppers;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tastemaker.db.BlockingSql;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Every row Tastemaker keeps per shopper, wherever it lives: the taste profile, the dedupe ids of
 * their recent events, their share of the query links (the words they typed), the lists served to
 * them and their totals in experiments (attribution), and the erasure list. A new per-shopper table belongs here too, in {@link #stored} and {@link #erase}.
 * <p>Not per shopper, and kept on erasure as anonymous counts: co-engagement, trending, the
 * experiments' tallies and the placement aggregates. Blocking: call from worker threads.
 */
@ApplicationScoped
public class ShopperData {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final Pool pool;
    private final ObjectMapper json;

    ShopperData(Pool pool, ObjectMapper json) {
        this.pool = pool;
        this.json = json;
    }

    /** When a shopper was erased, who asked, and what it removed. */
    public record Erasure(Instant erasedAt, String requestedBy, Removed removed) {
    }

    /** What one erasure removed, as counts. */
    public record Removed(long profile, long dedupeIds, long queryLinks, long queryTexts, long servedLists,
                          long experimentTotals) {
    }

    /** The outcome of an erasure request; {@code alreadyErased} when an earlier request erased them (its time stays). */
    public record Erased(Instant erasedAt, String requestedBy, boolean alreadyErased, Removed removed) {
    }

    /** The taste profile row as stored; the vector itself is left out (its length says it exists). */
    public record StoredProfile(String modelVersion, long events, Instant lastEventAt, Instant updatedAt,
                                Integer vectorDimensions, JsonNode state) {
    }

    /** An applied event's id, kept for the dedupe window. */
    public record SeenId(String eventId, Instant loggedAt) {
    }

    /** The shopper's share of a query → product link: words they searched or asked for, then engaged from. */
    public record QueryLink(String query, String productId, double weight) {
    }

    /** A list served to the shopper (attribution): when, where, and how many items. */
    public record ServedList(String recommId, Instant servedAt, String placement, int items) {
    }

    /** The shopper's totals in one experiment variant (what the A/B comparison counts for them). */
    public record ExperimentTotals(long experimentId, String variant, long lists, long impressions, long clicks,
                                   long carts, long purchases, java.math.BigDecimal revenue) {
    }

    /** Every per-shopper row; lists hold at most {@code limit} entries, counts are exact. */
    public record Stored(Optional<Erasure> erasure, Optional<StoredProfile> profile, long dedupeIdCount,
                         List<SeenId> dedupeIds, long queryLinkCount, List<QueryLink> queryLinks,
                         long servedListCount, List<ServedList> servedLists, List<ExperimentTotals> experimentTotals) {
    }

    public Optional<Erasure> erasure(String userId) {
        return erasure(pool, userId);
    }

    /** Which of these user ids are on the erasure list (one statement, whatever their number). */
    public java.util.Set<String> erased(java.util.Collection<String> userIds) {
        java.util.Set<String> erased = new java.util.HashSet<>();
        if (userIds.isEmpty()) {
            return erased;
        }
        for (Row row : run(pool, "SELECT user_id FROM shopper_erasures WHERE user_id = ANY($1)",
                Tuple.of(userIds.toArray(String[]::new)))) {
            erased.add(row.getString(0));
        }
        return erased;
    }

    public Stored stored(String userId, int limit) {
        Optional<StoredProfile> profile = Optional.empty();
        for (Row row : run(pool, "SELECT model_version, events, as_of, updated_at, octet_length(vector) / 4, state::text"
                + " FROM taste_profiles WHERE user_id = $1", Tuple.of(userId))) {
            profile = Optional.of(new StoredProfile(row.getString(0), row.getLong(1),
                    BlockingSql.instant(row.getOffsetDateTime(2)), BlockingSql.instant(row.getOffsetDateTime(3)),
                    row.getInteger(4), parse(row.getString(5))));
        }
        long seenCount = count("SELECT count(*) FROM engagement_seen WHERE user_id = $1", userId);
        List<SeenId> seen = new ArrayList<>();
        for (Row row : run(pool, "SELECT event_id, logged_at FROM engagement_seen WHERE user_id = $1"
                + " ORDER BY logged_at DESC, event_id LIMIT $2", Tuple.of(userId, limit))) {
            seen.add(new SeenId(row.getString(0), BlockingSql.instant(row.getOffsetDateTime(1))));
        }
        long queryCount = count("SELECT count(*) FROM shopper_queries WHERE user_id = $1", userId);
        List<QueryLink> queries = new ArrayList<>();
        for (Row row : run(pool, "SELECT query, product_id, weight FROM shopper_queries WHERE user_id = $1"
                + " ORDER BY query, product_id LIMIT $2", Tuple.of(userId, limit))) {
            queries.add(new QueryLink(row.getString(0), row.getString(1), row.getDouble(2)));
        }
        long servedCount = count("SELECT count(*) FROM served_lists WHERE user_id = $1", userId);
        List<ServedList> served = new ArrayList<>();
        for (Row row : run(pool, "SELECT recomm_id, served_at, placement, cardinality(product_ids) FROM served_lists"
                + " WHERE user_id = $1 ORDER BY served_at DESC, recomm_id LIMIT $2", Tuple.of(userId, limit))) {
            served.add(new ServedList(row.getString(0), BlockingSql.instant(row.getOffsetDateTime(1)), row.getString(2),
                    row.getInteger(3)));
        }
        List<ExperimentTotals> totals = new ArrayList<>();
        for (Row row : run(pool, "SELECT experiment_id, variant, lists, impressions, clicks, carts, purchases, revenue"
                + " FROM experiment_shopper_outcomes WHERE user_id = $1 ORDER BY experiment_id, variant", Tuple.of(userId))) {
            totals.add(new ExperimentTotals(row.getLong(0), row.getString(1), row.getLong(2), row.getLong(3),
                    row.getLong(4), row.getLong(5), row.getLong(6), row.getBigDecimal(7)));
        }
        return new Stored(erasure(userId), profile, seenCount, seen, queryCount, queries, servedCount, served, totals);
    }

    /**
     * Erases a shopper and puts them on the erasure list, in one transaction. It first takes the
     * engagement generation row exclusively, as a rebuild does: it waits for the batches in flight,
     * and every batch after it reads the list with this shopper on it, so nothing writes them back.
     * Their share of every query link is taken back, and the links nobody else contributed (words
     * only they typed) are dropped. Idempotent: erasing again removes whatever is there (nothing,
     * normally) and keeps the first erasure's time and requester. The erasure is named among the
     * engagement changes, so that every serving process drops the profile it keeps in memory.
     */
    public Erased erase(String userId, String requestedBy) {
        return BlockingSql.inTransaction(pool, TIMEOUT, c -> {
            run(c, "SELECT generation FROM engagement_generation WHERE id = 1 FOR UPDATE", Tuple.tuple());
            long profile = run(c, "DELETE FROM taste_profiles WHERE user_id = $1", Tuple.of(userId)).rowCount();
            // every serving process drops the profile it keeps in memory within a poll of the changes
            run(c, "INSERT INTO engagement_changes (erased) VALUES ($1)", Tuple.of((Object) new String[] {userId}));
            long seen = run(c, "DELETE FROM engagement_seen WHERE user_id = $1", Tuple.of(userId)).rowCount();
            List<String> queries = new ArrayList<>();
            List<String> products = new ArrayList<>();
            List<Double> weights = new ArrayList<>();
            for (Row row : run(c, "DELETE FROM shopper_queries WHERE user_id = $1 RETURNING query, product_id, weight",
                    Tuple.of(userId))) {
                queries.add(row.getString(0));
                products.add(row.getString(1));
                weights.add(row.getDouble(2));
            }
            long texts = 0;
            if (!queries.isEmpty()) {
                String[] q = queries.toArray(String[]::new);
                String[] p = products.toArray(String[]::new);
                run(c, "UPDATE query_engagement e SET weight = e.weight - m.w"
                                + " FROM unnest($1::text[], $2::text[], $3::float8[]) AS m(q, p, w)"
                                + " WHERE e.query = m.q AND e.product_id = m.p",
                        Tuple.of(q, p, weights.toArray(Double[]::new)));
                texts = run(c, "DELETE FROM query_engagement e USING unnest($1::text[], $2::text[]) AS m(q, p)"
                        + " WHERE e.query = m.q AND e.product_id = m.p AND NOT EXISTS (SELECT 1 FROM shopper_queries s"
                        + " WHERE s.query = e.query AND s.product_id = e.product_id)", Tuple.of(q, p)).rowCount();
            }
            // attribution (V11, V12): the lists served to them, their totals in experiments, outcomes waiting for a list
            long served = run(c, "DELETE FROM served_lists WHERE user_id = $1", Tuple.of(userId)).rowCount();
            long totals = run(c, "DELETE FROM experiment_shopper_outcomes WHERE user_id = $1", Tuple.of(userId)).rowCount();
            run(c, "DELETE FROM outcome_pending WHERE user_id = $1", Tuple.of(userId));
            Removed removed = new Removed(profile, seen, queries.size(), texts, served, totals);
            RowSet<Row> inserted = run(c, "INSERT INTO shopper_erasures (user_id, erased_at, requested_by, removed)"
                    + " VALUES ($1, now(), $2, $3::text::jsonb) ON CONFLICT (user_id) DO NOTHING RETURNING erased_at",
                    Tuple.of(userId, requestedBy, write(removed)));
            if (inserted.size() == 1) {
                return new Erased(BlockingSql.instant(inserted.iterator().next().getOffsetDateTime(0)), requestedBy,
                        false, removed);
            }
            Erasure first = erasure(c, userId).orElseThrow();
            return new Erased(first.erasedAt(), first.requestedBy(), true, removed);
        });
    }

    private Optional<Erasure> erasure(SqlClient client, String userId) {
        for (Row row : run(client, "SELECT erased_at, requested_by, removed::text FROM shopper_erasures WHERE user_id = $1",
                Tuple.of(userId))) {
            try {
                return Optional.of(new Erasure(BlockingSql.instant(row.getOffsetDateTime(0)), row.getString(1),
                        json.readValue(row.getString(2), Removed.class)));
            } catch (JsonProcessingException e) {
                throw new UncheckedIOException(e);
            }
        }
        return Optional.empty();
    }

    private long count(String sql, String userId) {
        return run(pool, sql, Tuple.of(userId)).iterator().next().getLong(0);
    }

    private JsonNode parse(String text) {
        try {
            return json.readTree(text);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String write(Removed removed) {
        try {
            return json.writeValueAsString(removed);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static RowSet<Row> run(SqlClient client, String sql, Tuple args) {
        return BlockingSql.query(client, sql, args, TIMEOUT);
    }
}

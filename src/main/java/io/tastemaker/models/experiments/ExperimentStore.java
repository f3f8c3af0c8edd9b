package io.tastemaker.models.experiments;

import io.tastemaker.db.BlockingSql;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * A/B experiments in PostgreSQL ({@code V5__experiments.sql}): at most one runs (a unique index
 * says so); lists served are added by the API instances, engagement by the engagement consumer.
 * Blocking: call from worker threads.
 */
@ApplicationScoped
public class ExperimentStore {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final String COLUMNS = "id, control, treatment, basis_points, actor, started_at, updated_at, ended_at,"
            + " end_reason";

    private final Pool pool;

    ExperimentStore(Pool pool) {
        this.pool = pool;
    }

    /** What a variant was served and did. */
    public record Tally(long lists, long items, Map<String, Long> events) {
    }

    public Optional<Experiment> running() {
        return one(pool, "SELECT " + COLUMNS + " FROM model_experiments WHERE ended_at IS NULL", Tuple.tuple());
    }

    /** The running experiment, or else the one that ended last. */
    public Optional<Experiment> latest() {
        return one(pool, "SELECT " + COLUMNS + " FROM model_experiments ORDER BY ended_at IS NULL DESC, id DESC LIMIT 1",
                Tuple.tuple());
    }

    /**
     * Starts an experiment, ending the running one, or, when the running one already compares
     * the same two versions, changes its share in place (a ramp-up keeps its shoppers and tallies).
     */
    public Experiment start(String control, String treatment, int basisPoints, String actor) {
        return inTransaction(tx -> {
            Optional<Experiment> current = one(tx, "SELECT " + COLUMNS + " FROM model_experiments WHERE ended_at IS NULL"
                    + " FOR UPDATE", Tuple.tuple());
            if (current.isPresent() && current.get().control().equals(control)
                    && current.get().treatment().equals(treatment)) {
                return one(tx, "UPDATE model_experiments SET basis_points = $2, updated_at = now() WHERE id = $1"
                        + " RETURNING " + COLUMNS, Tuple.of(current.get().id(), basisPoints)).orElseThrow();
            }
            current.ifPresent(c -> end(tx, "replaced by a new experiment (" + control + " vs " + treatment + ")"));
            return one(tx, "INSERT INTO model_experiments (control, treatment, basis_points, actor) VALUES ($1, $2, $3, $4)"
                    + " RETURNING " + COLUMNS, Tuple.of(control, treatment, basisPoints, actor)).orElseThrow();
        });
    }

    /** Ends the running experiment; empty when none runs. */
    public Optional<Experiment> end(String reason) {
        return end(pool, reason);
    }

    /** Ends the running experiment inside another transaction (a promotion ends it). */
    public static Optional<Experiment> end(SqlClient client, String reason) {
        return one(client, "UPDATE model_experiments SET ended_at = now(), updated_at = now(), end_reason = $1"
                + " WHERE ended_at IS NULL RETURNING " + COLUMNS, Tuple.of(reason));
    }

    public void addServed(long experimentId, Variant variant, long lists, long items) {
        query(pool, "INSERT INTO experiment_exposures AS e (experiment_id, variant, lists, items) VALUES ($1, $2, $3, $4)"
                + " ON CONFLICT (experiment_id, variant) DO UPDATE SET lists = e.lists + excluded.lists,"
                + " items = e.items + excluded.items", Tuple.of(experimentId, variant.jsonName(), lists, items));
    }

    public Map<Variant, Tally> tallies(long experimentId) {
        Map<Variant, long[]> served = new EnumMap<>(Variant.class);
        Map<Variant, Map<String, Long>> events = new EnumMap<>(Variant.class);
        for (Variant v : Variant.values()) {
            served.put(v, new long[2]);
            events.put(v, new TreeMap<>());
        }
        for (Row row : query(pool, "SELECT variant, lists, items FROM experiment_exposures WHERE experiment_id = $1",
                Tuple.of(experimentId))) {
            served.put(variant(row), new long[]{row.getLong("lists"), row.getLong("items")});
        }
        for (Row row : query(pool, "SELECT variant, type, events FROM experiment_engagement WHERE experiment_id = $1",
                Tuple.of(experimentId))) {
            events.get(variant(row)).put(row.getString("type"), row.getLong("events"));
        }
        Map<Variant, Tally> tallies = new EnumMap<>(Variant.class);
        served.forEach((v, s) -> tallies.put(v, new Tally(s[0], s[1], events.get(v))));
        return tallies;
    }

    private static Variant variant(Row row) {
        return Variant.valueOf(row.getString("variant").toUpperCase(java.util.Locale.ROOT));
    }

    private static Optional<Experiment> one(SqlClient client, String sql, Tuple args) {
        RowSet<Row> rows = query(client, sql, args);
        if (rows.size() == 0) {
            return Optional.empty();
        }
        Row row = rows.iterator().next();
        return Optional.of(new Experiment(row.getLong("id"), row.getString("control"), row.getString("treatment"),
                row.getInteger("basis_points") / 100.0, row.getString("actor"), BlockingSql.instant(row.getOffsetDateTime("started_at")),
                BlockingSql.instant(row.getOffsetDateTime("updated_at")), BlockingSql.instant(row.getOffsetDateTime("ended_at")),
                row.getString("end_reason")));
    }


    private <T> T inTransaction(Function<SqlClient, T> work) {
        return BlockingSql.inTransaction(pool, TIMEOUT, work::apply);
    }

    private static RowSet<Row> query(SqlClient client, String sql, Tuple args) {
        return BlockingSql.query(client, sql, args, TIMEOUT);
    }
}

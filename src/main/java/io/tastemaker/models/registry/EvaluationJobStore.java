package io.tastemaker.models.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.tastemaker.db.BlockingSql;
import io.tastemaker.models.gate.Verdict;
import io.tastemaker.models.gate.VersionScore;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Evaluation jobs and the feed blend (weights, co-engagement floor) a verdict chose, in PostgreSQL
 * ({@code V16__model_evaluations.sql}, {@code V19__version_co_engagement_floor.sql}): any instance answers for a job another one runs. A job is claimed by one instance at a time
 * (its owner renews a heartbeat); a queued or running job whose owner went silent for longer than
 * the lease, or that its owner released at shutdown, is claimed again and run anew. Blocking:
 * call from worker threads.
 */
@ApplicationScoped
public class EvaluationJobStore {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    private static final String COLUMNS = "id, version, against, state, done, total, attempts, cancel_requested,"
            + " verdict::text AS verdict, error, created_at, started_at, finished_at";

    private final Pool pool;

    EvaluationJobStore(Pool pool) {
        this.pool = pool;
    }

    /** A new job, queued and owned by {@code owner}. */
    EvaluationJob enqueue(String version, String against, String owner) {
        Row row = query(pool, "INSERT INTO model_evaluations (version, against, state, owner, heartbeat)"
                + " VALUES ($1, $2, 'queued', $3, now()) RETURNING " + COLUMNS, Tuple.of(version, against, owner))
                .iterator().next();
        return job(row);
    }

    /** The queued or running jobs {@code owner} holds. */
    List<EvaluationJob> heldBy(String owner) {
        List<EvaluationJob> jobs = new ArrayList<>();
        query(pool, "SELECT " + COLUMNS + " FROM model_evaluations WHERE owner = $1 AND state IN ('queued', 'running')"
                + " ORDER BY id", Tuple.of(owner)).forEach(r -> jobs.add(job(r)));
        return jobs;
    }

    /**
     * Takes the oldest unfinished job nobody holds (released, or its owner silent for longer than
     * {@code lease}) for {@code owner}; empty when there is none.
     */
    Optional<EvaluationJob> claimOrphan(String owner, Duration lease) {
        RowSet<Row> rows = query(pool, "UPDATE model_evaluations SET owner = $1, state = 'queued', heartbeat = now()"
                + " WHERE id = (SELECT id FROM model_evaluations WHERE state IN ('queued', 'running') AND (owner IS NULL"
                + " OR heartbeat < now() - make_interval(secs => $2)) ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED)"
                + " RETURNING " + COLUMNS, Tuple.of(owner, lease.toMillis() / 1000.0));
        return rows.size() == 0 ? Optional.empty() : Optional.of(job(rows.iterator().next()));
    }

    /** queued → running for its owner (one more attempt); false when no longer its job or cancelled. */
    boolean begin(long id, String owner) {
        return query(pool, "UPDATE model_evaluations SET state = 'running', attempts = attempts + 1, done = 0, total = NULL,"
                + " started_at = now(), heartbeat = now() WHERE id = $1 AND owner = $2 AND state = 'queued'"
                + " AND NOT cancel_requested", Tuple.of(id, owner)).rowCount() == 1;
    }

    /** Records progress and renews the owner's hold; false when it is no longer the owner's. */
    boolean progress(long id, String owner, long done, long total) {
        return query(pool, "UPDATE model_evaluations SET done = $3, total = $4, heartbeat = now()"
                + " WHERE id = $1 AND owner = $2 AND state = 'running'", Tuple.of(id, owner, done, total)).rowCount() == 1;
    }

    /** Renews the owner's hold on a job (between progress writes). */
    void heartbeat(long id, String owner) {
        query(pool, "UPDATE model_evaluations SET heartbeat = now() WHERE id = $1 AND owner = $2", Tuple.of(id, owner));
    }

    /** Whether someone asked to cancel the job (on any instance). */
    boolean cancelRequested(long id) {
        RowSet<Row> rows = query(pool, "SELECT cancel_requested FROM model_evaluations WHERE id = $1", Tuple.of(id));
        return rows.size() == 0 || rows.iterator().next().getBoolean(0);
    }

    /**
     * Asks an unfinished job to stop: a queued one is cancelled at once, a running one when its
     * owner next looks. Empty when the job is finished (nothing to cancel).
     */
    Optional<EvaluationJob> requestCancel(long id) {
        RowSet<Row> rows = query(pool, "UPDATE model_evaluations SET cancel_requested = true,"
                + " state = CASE WHEN state = 'queued' THEN 'cancelled' ELSE state END,"
                + " finished_at = CASE WHEN state = 'queued' THEN now() ELSE finished_at END"
                + " WHERE id = $1 AND state IN ('queued', 'running') RETURNING " + COLUMNS, Tuple.of(id));
        return rows.size() == 0 ? Optional.empty() : Optional.of(job(rows.iterator().next()));
    }

    /**
     * The job is done: its verdict stored, and the feed weights and floor it chose for the candidate stored
     * with the candidate version (they travel with it on promote and rollback), in one transaction.
     */
    boolean finish(long id, String owner, Verdict verdict) {
        return BlockingSql.inTransaction(pool, TIMEOUT, tx -> {
            RowSet<Row> rows = query(tx, "UPDATE model_evaluations SET state = 'done', verdict = $3, finished_at = now(),"
                    + " heartbeat = now(), owner = NULL, against = coalesce((SELECT version FROM model_versions WHERE version = $4), against)"
                    + " WHERE id = $1 AND owner = $2 AND state = 'running' AND NOT cancel_requested RETURNING version",
                    Tuple.of(id, owner, new JsonObject(json(verdict)),
                            verdict.active() == null ? null : verdict.active().version()));
            if (rows.size() == 0) {
                return false;
            }
            VersionScore chosen = verdict.candidate();
            if (chosen != null && chosen.feedWeights() != null && !chosen.feedWeights().isEmpty()) {
                query(tx, "UPDATE model_versions SET feed_weights = $2, co_engagement_floor = $3 WHERE version = $1",
                        Tuple.of(rows.iterator().next().getString(0),
                                new JsonObject(new HashMap<String, Object>(chosen.feedWeights())), chosen.coEngagementFloor()));
            }
            return true;
        });
    }

    /** running → failed or cancelled, by its owner. */
    void end(long id, String owner, EvaluationJob.State state, String error) {
        query(pool, "UPDATE model_evaluations SET state = $3, error = $4, finished_at = now(), owner = NULL"
                + " WHERE id = $1 AND owner = $2 AND state IN ('queued', 'running')",
                Tuple.of(id, owner, state.jsonName(), error));
    }

    /** Lets another instance (or this one after a restart) take the job up at once: it runs again from the start. */
    void release(long id, String owner) {
        query(pool, "UPDATE model_evaluations SET owner = NULL, state = 'queued' WHERE id = $1 AND owner = $2"
                + " AND state IN ('queued', 'running')", Tuple.of(id, owner));
    }

    Optional<EvaluationJob> find(long id) {
        RowSet<Row> rows = query(pool, "SELECT " + COLUMNS + " FROM model_evaluations WHERE id = $1", Tuple.of(id));
        return rows.size() == 0 ? Optional.empty() : Optional.of(job(rows.iterator().next()));
    }

    /** The version's most recent job. */
    public Optional<EvaluationJob> latest(String version) {
        RowSet<Row> rows = query(pool, "SELECT " + COLUMNS + " FROM model_evaluations WHERE version = $1"
                + " ORDER BY id DESC LIMIT 1", Tuple.of(version));
        return rows.size() == 0 ? Optional.empty() : Optional.of(job(rows.iterator().next()));
    }

    /** Every version's most recent job. */
    public Map<String, EvaluationJob> latestOfEach() {
        Map<String, EvaluationJob> jobs = new HashMap<>();
        query(pool, "SELECT DISTINCT ON (version) " + COLUMNS + " FROM model_evaluations ORDER BY version, id DESC",
                Tuple.tuple()).forEach(r -> jobs.put(r.getString("version"), job(r)));
        return jobs;
    }

    /** The version's most recent finished verdict against {@code against}. */
    Optional<EvaluationJob> latestVerdict(String version, String against) {
        RowSet<Row> rows = query(pool, "SELECT " + COLUMNS + " FROM model_evaluations WHERE version = $1 AND against = $2"
                + " AND state = 'done' ORDER BY id DESC LIMIT 1", Tuple.of(version, against));
        return rows.size() == 0 ? Optional.empty() : Optional.of(job(rows.iterator().next()));
    }

    /** The feed blend stored with each version that has one. */
    public Map<String, FeedBlend> feedBlends() {
        Map<String, FeedBlend> all = new HashMap<>();
        query(pool, "SELECT version, " + BLEND + " FROM model_versions WHERE feed_weights IS NOT NULL",
                Tuple.tuple()).forEach(r -> all.put(r.getString("version"), blend(r)));
        return all;
    }

    /** The feed blend stored with a version; {@link FeedBlend#NONE} when it has none (the configured one applies). */
    public FeedBlend feedBlend(String version) {
        RowSet<Row> rows = query(pool, "SELECT " + BLEND + " FROM model_versions WHERE version = $1"
                + " AND feed_weights IS NOT NULL", Tuple.of(version));
        return rows.size() == 0 ? FeedBlend.NONE : blend(rows.iterator().next());
    }

    private static final String BLEND = "feed_weights::text AS w, co_engagement_floor";

    private static FeedBlend blend(Row r) {
        return new FeedBlend(weights(r.getString("w")), r.getDouble("co_engagement_floor"));
    }

    private static Map<String, Double> weights(String json) {
        try {
            Map<String, Double> weights = new LinkedHashMap<>();
            JSON.readTree(json).fields().forEachRemaining(e -> weights.put(e.getKey(), e.getValue().asDouble()));
            return weights;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("model_versions.feed_weights is not an object of weights", e);
        }
    }

    private static EvaluationJob job(Row r) {
        String verdict = r.getString("verdict");
        try {
            return new EvaluationJob(r.getLong("id"), r.getString("version"), r.getString("against"),
                    EvaluationJob.State.of(r.getString("state")), r.getLong("done"), r.getLong("total"),
                    r.getInteger("attempts"), r.getBoolean("cancel_requested"),
                    verdict == null ? null : JSON.readValue(verdict, Verdict.class), r.getString("error"),
                    BlockingSql.instant(r.getOffsetDateTime("created_at")), BlockingSql.instant(r.getOffsetDateTime("started_at")),
                    BlockingSql.instant(r.getOffsetDateTime("finished_at")));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("model_evaluations.verdict of job " + r.getLong("id") + " is not a verdict", e);
        }
    }

    private static String json(Verdict verdict) {
        try {
            return JSON.writeValueAsString(verdict);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static RowSet<Row> query(SqlClient client, String sql, Tuple args) {
        return BlockingSql.query(client, sql, args, TIMEOUT);
    }
}

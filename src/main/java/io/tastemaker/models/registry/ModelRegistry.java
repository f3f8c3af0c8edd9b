package io.tastemaker.models.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tastemaker.db.BlockingSql;
import io.tastemaker.models.experiments.ExperimentStore;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * The model registry in PostgreSQL ({@code V4__models.sql}). State changes are conditional
 * updates, so two instances cannot both start a build or promote at once. Blocking: call from
 * worker threads.
 */
@ApplicationScoped
public class ModelRegistry {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String COLUMNS = "version, kind, spec::text AS spec, dimension, collection, state, indexed, total,"
            + " resume_after, build_started_at, error, created_at, updated_at";

    private final Pool pool;

    ModelRegistry(Pool pool) {
        this.pool = pool;
    }

    /** A promotion: the version now active and the one it replaced (null for the first). */
    public record Activation(long id, String version, String previous, String actor, String reason, Instant activatedAt) {
    }

    public List<ModelVersion> list() {
        List<ModelVersion> versions = new ArrayList<>();
        query(pool, "SELECT " + COLUMNS + " FROM model_versions ORDER BY created_at, version", Tuple.tuple())
                .forEach(row -> versions.add(version(row)));
        return versions;
    }

    public Optional<ModelVersion> find(String version) {
        RowSet<Row> rows = query(pool, "SELECT " + COLUMNS + " FROM model_versions WHERE version = $1", Tuple.of(version));
        return rows.size() == 0 ? Optional.empty() : Optional.of(version(rows.iterator().next()));
    }

    /** @throws UnknownVersion when no version of this name is registered */
    public ModelVersion get(String version) {
        return find(version).orElseThrow(() -> new UnknownVersion(version));
    }

    public Optional<ModelVersion> active() {
        RowSet<Row> rows = query(pool, "SELECT " + COLUMNS + " FROM model_versions WHERE state = 'active'", Tuple.tuple());
        return rows.size() == 0 ? Optional.empty() : Optional.of(version(rows.iterator().next()));
    }

    /** False when the version name is taken. */
    public boolean register(ModelVersion v, ModelVersion.State state) {
        return register(v, state, null);
    }

    /**
     * Registers a version with the file its model needs kept in the registry (an adapter's
     * weights), so every instance loads the same bytes. False when the version name is taken.
     */
    public boolean register(ModelVersion v, ModelVersion.State state, byte[] artifact) {
        return inTransaction(tx -> {
            RowSet<Row> rows = query(tx, "INSERT INTO model_versions (version, kind, spec, dimension, collection, state,"
                            + " indexed) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING",
                    Tuple.from(List.of(v.version(), v.kind().jsonName(), new JsonObject(json(v.spec())), v.dimension(),
                            v.collection(), state.jsonName(), v.indexed())));
            if (rows.rowCount() == 1 && artifact != null) {
                query(tx, "INSERT INTO model_artifacts (version, content) VALUES ($1, $2) ON CONFLICT (version)"
                        + " DO UPDATE SET content = excluded.content, created_at = now()",
                        Tuple.of(v.version(), io.vertx.core.buffer.Buffer.buffer(artifact)));
            }
            return rows.rowCount() == 1;
        });
    }

    /** The file kept for a version at registration (an adapter's weights), if any. */
    public Optional<byte[]> artifact(String version) {
        RowSet<Row> rows = query(pool, "SELECT content FROM model_artifacts WHERE version = $1", Tuple.of(version));
        return rows.size() == 0 ? Optional.empty() : Optional.of(rows.iterator().next().getBuffer(0).getBytes());
    }

    public void dropArtifact(String version) {
        query(pool, "DELETE FROM model_artifacts WHERE version = $1", Tuple.of(version));
    }

    /** Starts (or resumes) a build: registered, failed or indexing → indexing. False if in another state. */
    public boolean startBuild(String version, long total) {
        return query(pool, "UPDATE model_versions SET state = 'indexing', total = $2, error = NULL,"
                        + " build_started_at = coalesce(build_started_at, now()), updated_at = now()"
                        + " WHERE version = $1 AND state IN ('registered', 'failed', 'indexing')",
                Tuple.of(version, total)).rowCount() == 1;
    }

    /**
     * Takes the build of an indexing version for {@code owner}: free, already its own, or its
     * owner silent for longer than {@code lease}. False when another instance builds it.
     */
    public boolean claimBuild(String version, long total, String owner, Duration lease) {
        return query(pool, "UPDATE model_versions SET total = $2, build_owner = $3, build_heartbeat = now(),"
                        + " updated_at = now() WHERE version = $1 AND state = 'indexing' AND (build_owner IS NULL"
                        + " OR build_owner = $3 OR build_heartbeat < now() - make_interval(secs => $4))",
                Tuple.of(version, total, owner, lease.toMillis() / 1000.0)).rowCount() == 1;
    }

    /** Indexing versions nobody builds: never claimed, released, or their owner silent for longer than {@code lease}. */
    public List<String> unclaimedBuilds(Duration lease) {
        List<String> versions = new ArrayList<>();
        query(pool, "SELECT version FROM model_versions WHERE state = 'indexing' AND (build_owner IS NULL"
                + " OR build_heartbeat < now() - make_interval(secs => $1)) ORDER BY created_at",
                Tuple.of(lease.toMillis() / 1000.0)).forEach(row -> versions.add(row.getString(0)));
        return versions;
    }

    /** Records progress and renews the owner's lease; false when the build is no longer this owner's. */
    public boolean progress(String version, long indexed, String resumeAfter, String owner) {
        return query(pool, "UPDATE model_versions SET indexed = $2, resume_after = $3, build_heartbeat = now(),"
                + " updated_at = now() WHERE version = $1 AND state = 'indexing' AND build_owner = $4",
                Tuple.of(version, indexed, resumeAfter, owner)).rowCount() == 1;
    }

    /** Renews the owner's lease (the verifying walk records no position); false when no longer its build. */
    public boolean heartbeat(String version, String owner) {
        return query(pool, "UPDATE model_versions SET build_heartbeat = now() WHERE version = $1 AND state = 'indexing'"
                + " AND build_owner = $2", Tuple.of(version, owner)).rowCount() == 1;
    }

    /** Lets another instance (or this one after a restart) resume the build at once. */
    public void releaseBuild(String version, String owner) {
        query(pool, "UPDATE model_versions SET build_owner = NULL, build_heartbeat = NULL WHERE version = $1"
                + " AND build_owner = $2", Tuple.of(version, owner));
    }

    /** indexing → ready, by the build's owner. */
    public boolean finishBuild(String version, long indexed, String owner) {
        return query(pool, "UPDATE model_versions SET state = 'ready', indexed = $2, total = greatest(total, $2),"
                        + " build_owner = NULL, build_heartbeat = NULL, updated_at = now()"
                        + " WHERE version = $1 AND state = 'indexing' AND build_owner = $3",
                Tuple.of(version, indexed, owner)).rowCount() == 1;
    }

    public void fail(String version, String error) {
        query(pool, "UPDATE model_versions SET state = 'failed', error = $2, build_owner = NULL, build_heartbeat = NULL,"
                + " updated_at = now() WHERE version = $1 AND state IN ('registered', 'indexing')", Tuple.of(version, error));
    }

    /**
     * A version that can no longer be maintained (its model refused at load, or it missed catalog
     * changes while its model failed) becomes failed, with why; indexing it again starts its build
     * from the first product. False when it is not registered, indexing or ready.
     */
    public boolean failMaintained(String version, String error) {
        return query(pool, "UPDATE model_versions SET state = 'failed', error = $2, indexed = 0, resume_after = NULL,"
                + " build_owner = NULL, build_heartbeat = NULL, updated_at = now()"
                + " WHERE version = $1 AND state IN ('registered', 'indexing', 'ready')", Tuple.of(version, error))
                .rowCount() == 1;
    }

    /**
     * A ready, failed or registered version is no longer maintained; false for the active one and
     * for the treatment of a running experiment.
     */
    public boolean retire(String version) {
        return query(pool, "UPDATE model_versions SET state = 'retired', updated_at = now()"
                + " WHERE version = $1 AND state IN ('registered', 'ready', 'failed') AND NOT EXISTS"
                + " (SELECT 1 FROM model_experiments WHERE ended_at IS NULL AND treatment = $1)",
                Tuple.of(version)).rowCount() == 1;
    }

    /**
     * Makes a ready version the active one in one transaction: the active one becomes ready (still
     * maintained, for a rollback), the promotion is recorded, a running A/B experiment ends (its
     * control no longer serves). Empty when the version is not ready.
     */
    public Optional<Activation> promote(String version, String actor, String reason) {
        return inTransaction(tx -> {
            RowSet<Row> target = query(tx, "SELECT state FROM model_versions WHERE version = $1 FOR UPDATE", Tuple.of(version));
            if (target.size() == 0 || !"ready".equals(target.iterator().next().getString("state"))) {
                return Optional.empty();
            }
            RowSet<Row> current = query(tx, "UPDATE model_versions SET state = 'ready', updated_at = now()"
                    + " WHERE state = 'active' RETURNING version", Tuple.tuple());
            String previous = current.size() == 0 ? null : current.iterator().next().getString("version");
            query(tx, "UPDATE model_versions SET state = 'active', updated_at = now() WHERE version = $1", Tuple.of(version));
            ExperimentStore.end(tx, version + " was made active (" + reason + ")");
            Row row = query(tx, "INSERT INTO model_activations (version, previous, actor, reason) VALUES ($1, $2, $3, $4)"
                    + " RETURNING id, activated_at", Tuple.of(version, previous, actor, reason)).iterator().next();
            return Optional.of(new Activation(row.getLong("id"), version, previous, actor, reason,
                    row.getOffsetDateTime("activated_at").toInstant()));
        });
    }

    /** The latest promotion, which every instance compares with the one it serves. */
    public Optional<Activation> latestActivation() {
        RowSet<Row> rows = query(pool, "SELECT id, version, previous, actor, reason, activated_at FROM model_activations"
                + " ORDER BY id DESC LIMIT 1", Tuple.tuple());
        if (rows.size() == 0) {
            return Optional.empty();
        }
        Row row = rows.iterator().next();
        return Optional.of(new Activation(row.getLong("id"), row.getString("version"), row.getString("previous"),
                row.getString("actor"), row.getString("reason"), row.getOffsetDateTime("activated_at").toInstant()));
    }

    private static ModelVersion version(Row row) {
        try {
            return new ModelVersion(row.getString("version"),
                    ModelVersion.Kind.valueOf(row.getString("kind").toUpperCase(Locale.ROOT)),
                    JSON.readValue(row.getString("spec"), ModelVersion.Spec.class), row.getInteger("dimension"),
                    row.getString("collection"), ModelVersion.State.valueOf(row.getString("state").toUpperCase(Locale.ROOT)),
                    row.getLong("indexed"), row.getLong("total"), row.getString("resume_after"),
                    BlockingSql.instant(row.getOffsetDateTime("build_started_at")), row.getString("error"),
                    BlockingSql.instant(row.getOffsetDateTime("created_at")), BlockingSql.instant(row.getOffsetDateTime("updated_at")));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("model_versions.spec of " + row.getString("version") + " is not a spec", e);
        }
    }


    private static String json(ModelVersion.Spec spec) {
        try {
            return JSON.writeValueAsString(spec);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private <T> T inTransaction(Function<SqlClient, T> work) {
        return BlockingSql.inTransaction(pool, TIMEOUT, work::apply);
    }

    private static RowSet<Row> query(SqlClient client, String sql, Tuple args) {
        return BlockingSql.query(client, sql, args, TIMEOUT);
    }
}

package io.tastemaker.db;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Versions the database schema: applies the scripts under {@code db/migration} that the
 * database has not seen yet, in order, each in its own transaction, and records them in
 * {@code schema_history}. An advisory lock keeps concurrent instances from racing.
 */
@ApplicationScoped
public class SchemaMigrator {

    private static final Logger LOG = Logger.getLogger(SchemaMigrator.class);
    private static final long LOCK_ID = 0x7a57e_0001L;

    /** Every migration, oldest first. Append; never edit one that has shipped. */
    static final List<String> MIGRATIONS = List.of("V1__catalog.sql", "V2__engagement.sql", "V3__merchandising.sql",
            "V4__models.sql", "V5__experiments.sql", "V6__query_engagement.sql",
            "V7__build_lease.sql", "V8__fine_tunes.sql", "V9__api_keys.sql", "V10__shopper_erasure.sql",
            "V11__served_lists.sql", "V12__outcomes.sql", "V13__served_counted_at_insert_and_pins.sql",
            "V14__dead_letter_republishes.sql", "V16__model_evaluations.sql",
            "V17__co_engagement_changes.sql", "V18__engagement_changes.sql", "V19__version_co_engagement_floor.sql");

    private final Pool pool;

    public SchemaMigrator(Pool pool) {
        this.pool = pool;
    }

    public void migrate() {
        pool.withTransaction(tx -> tx.query("SELECT pg_advisory_xact_lock(" + LOCK_ID + ")").execute()
                .chain(() -> tx.query("SELECT to_regclass('schema_history') IS NOT NULL").execute())
                .chain(exists -> exists.iterator().next().getBoolean(0) ? Uni.createFrom().voidItem()
                        : tx.query("CREATE TABLE schema_history (version int PRIMARY KEY, script text NOT NULL,"
                                + " applied_at timestamptz NOT NULL DEFAULT now())").execute().replaceWithVoid())
                .chain(() -> tx.query("SELECT version FROM schema_history").execute())
                .chain(rows -> {
                    Set<Integer> applied = new HashSet<>();
                    for (Row row : rows) {
                        applied.add(row.getInteger(0));
                    }
                    Uni<Void> chain = Uni.createFrom().voidItem();
                    for (String script : MIGRATIONS) {
                        int version = versionOf(script);
                        if (applied.contains(version)) {
                            continue;
                        }
                        String sql = read(script);
                        chain = chain
                                .chain(() -> tx.query(sql).execute())
                                .chain(() -> tx.preparedQuery("INSERT INTO schema_history (version, script) VALUES ($1, $2)")
                                        .execute(Tuple.of(version, script)))
                                .invoke(() -> LOG.infof("Applied schema migration %s", script))
                                .replaceWithVoid();
                    }
                    return chain;
                }))
                .await().atMost(Duration.ofSeconds(60));
    }

    static int versionOf(String script) {
        return Integer.parseInt(script.substring(1, script.indexOf("__")));
    }

    private static String read(String script) {
        try (InputStream in = SchemaMigrator.class.getResourceAsStream("/db/migration/" + script)) {
            if (in == null) {
                throw new IllegalStateException("migration " + script + " is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

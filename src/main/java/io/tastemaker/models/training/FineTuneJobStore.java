package io.tastemaker.models.training;

import io.tastemaker.db.BlockingSql;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Fine-tuning jobs in PostgreSQL ({@code V8__fine_tunes.sql}): any instance answers for a job
 * another one runs, and a job whose instance stopped renewing it (a restart or a crash mid-training)
 * reads as failed, so its version can be fine-tuned again. Blocking: call from worker threads.
 */
@ApplicationScoped
public class FineTuneJobStore {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    /** A training job silent for longer than this was interrupted; progress is written every second or so. */
    static final Duration SILENT = Duration.ofMinutes(2);
    private static final String COLUMNS = "version, base, state, epoch, epochs, batch, batches, loss, pairs, adapter_path,"
            + " error, started_at, finished_at, state = 'training' AND heartbeat < now() - make_interval(secs => "
            + SILENT.toSeconds() + ") AS interrupted";

    private final Pool pool;

    FineTuneJobStore(Pool pool) {
        this.pool = pool;
    }

    /** Records a new job; false when one for this version is training on a live instance. */
    boolean start(FineTuner.Job job) {
        return query("INSERT INTO fine_tune_jobs AS j (version, base, state, epochs, adapter_path) VALUES ($1, $2, $3, $4, $5)"
                        + " ON CONFLICT (version) DO UPDATE SET base = excluded.base, state = excluded.state, epoch = 0,"
                        + " epochs = excluded.epochs, batch = 0, batches = 0, loss = NULL, pairs = 0,"
                        + " adapter_path = excluded.adapter_path, error = NULL, heartbeat = now(), started_at = now(),"
                        + " finished_at = NULL WHERE j.state <> 'training' OR j.heartbeat < now() - make_interval(secs => "
                        + SILENT.toSeconds() + ")",
                Tuple.from(List.of(job.version(), job.base(), job.state(), job.epochs(), job.adapterPath())))
                .rowCount() == 1;
    }

    /** Writes the job's progress or outcome and renews it. */
    void update(FineTuner.Job job) {
        query("UPDATE fine_tune_jobs SET state = $2, epoch = $3, batch = $4, batches = $5, loss = $6, pairs = $7,"
                        + " error = $8, heartbeat = now(), finished_at = CASE WHEN $2 = 'training' THEN NULL ELSE now() END"
                        + " WHERE version = $1",
                Tuple.from(java.util.Arrays.asList(job.version(), job.state(), job.epoch(), job.batch(), job.batches(),
                        job.loss(), job.pairs(), job.error())));
    }

    Optional<FineTuner.Job> find(String version) {
        RowSet<Row> rows = query("SELECT " + COLUMNS + " FROM fine_tune_jobs WHERE version = $1", Tuple.of(version));
        return rows.size() == 0 ? Optional.empty() : Optional.of(job(rows.iterator().next()));
    }

    /** The most recently started jobs, newest first. */
    List<FineTuner.Job> recent(int limit) {
        List<FineTuner.Job> jobs = new java.util.ArrayList<>();
        for (Row r : query("SELECT " + COLUMNS + " FROM fine_tune_jobs ORDER BY started_at DESC LIMIT $1", Tuple.of(limit))) {
            jobs.add(job(r));
        }
        return jobs;
    }

    private static FineTuner.Job job(Row r) {
        boolean interrupted = r.getBoolean("interrupted");
        return new FineTuner.Job(r.getString("version"), r.getString("base"),
                interrupted ? "failed" : r.getString("state"), r.getInteger("epoch"), r.getInteger("epochs"),
                r.getInteger("batch"), r.getInteger("batches"), r.getDouble("loss"), r.getLong("pairs"),
                r.getString("adapter_path"), interrupted
                ? "interrupted: the instance training it stopped (a restart or a crash); start it again"
                : r.getString("error"), BlockingSql.instant(r.getOffsetDateTime("started_at")), BlockingSql.instant(r.getOffsetDateTime("finished_at")));
    }


    private RowSet<Row> query(String sql, Tuple args) {
        return BlockingSql.query(pool, sql, args, TIMEOUT);
    }
}

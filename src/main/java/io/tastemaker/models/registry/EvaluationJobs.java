package io.tastemaker.models.registry;

import io.tastemaker.models.gate.Gate;
import io.tastemaker.models.gate.Verdict;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The evaluation gate as jobs: a start is queued in PostgreSQL and answered at once; this
 * instance's own worker thread runs the {@link Gate} (never a request's thread), one job at a time,
 * writing progress as it goes; a cancel (from any instance) stops it between shoppers; the verdict
 * and the feed weights it chose are stored with the version ({@link EvaluationJobStore#finish}).
 * <p>
 * Resumable by running again: a job interrupted by a shutdown is released and taken up again at
 * once by the next instance to start (or this one after a restart); a job whose instance died is
 * taken over when its heartbeat is older than {@link ModelsConfig#evaluationLease()}. A job taken
 * up again starts from its first shopper (a verdict is cheap next to a wrong one) and counts one
 * more {@code attempt}.
 */
@ApplicationScoped
public class EvaluationJobs {

    private static final Logger LOG = Logger.getLogger(EvaluationJobs.class);
    /** Progress is written, and a cancel looked for, at most this often. */
    private static final long CHECK_EVERY_NANOS = 500_000_000L;

    private final ModelRegistry registry;
    private final EvaluationJobStore store;
    private final Gate gate;
    private final ModelsConfig config;
    /** This instance as the owner of the jobs it runs. */
    private final String instance = hostName() + "-eval-" + UUID.randomUUID().toString().substring(0, 8);
    private ExecutorService worker;
    private ScheduledExecutorService poller;
    /** The job this instance holds (queued on its worker or running), or null. */
    private volatile EvaluationJob current;
    private volatile boolean stopping;
    private volatile boolean cancelledHere;
    /** The running job's progress, written by the poll too, so a gate between two reports still shows where it is. */
    private volatile JobProgress progress;

    EvaluationJobs(ModelRegistry registry, EvaluationJobStore store, Gate gate, ModelsConfig config) {
        this.registry = registry;
        this.store = store;
        this.gate = gate;
        this.config = config;
    }

    /** At start-up: the worker, and a poll that renews this instance's hold and takes up jobs nobody runs. */
    public synchronized void start() {
        if (worker != null) {
            return;
        }
        stopping = false;
        worker = Executors.newSingleThreadExecutor(task -> {
            Thread t = new Thread(task, "model-evaluation");
            t.setDaemon(true);
            return t;
        });
        poller = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread t = new Thread(task, "model-evaluation-poll");
            t.setDaemon(true);
            return t;
        });
        long every = config.pollInterval().toMillis();
        poller.scheduleWithFixedDelay(this::tick, 0, every, TimeUnit.MILLISECONDS);
    }

    /**
     * Queues an evaluation of a built version against the active one and answers at once.
     *
     * @throws EvaluationRunning when this instance already holds one
     */
    public synchronized EvaluationJob start(String version) {
        ModelVersion v = registry.get(version);
        if (v.state() != ModelVersion.State.READY && v.state() != ModelVersion.State.ACTIVE) {
            throw VersionConflict.inState(v, "cannot be evaluated: its collection is not built");
        }
        ModelVersion active = registry.active().orElseThrow(VersionConflict::noActiveVersion);
        EvaluationJob held = current;
        if (held == null) {
            List<EvaluationJob> inStore = store.heldBy(instance);
            held = inStore.isEmpty() ? null : inStore.get(0);
        }
        if (held != null) {
            throw new EvaluationRunning(store.find(held.id()).orElse(held));
        }
        if (worker == null) {
            throw new IllegalStateException("evaluation jobs are not started");
        }
        EvaluationJob job = store.enqueue(version, active.version(), instance);
        submit(job);
        return job;
    }

    /** The version's latest job. */
    public EvaluationJob latest(String version) {
        registry.get(version);
        return store.latest(version).orElseThrow(() -> new NoEvaluation(version));
    }

    /**
     * Cancels the version's latest job: a queued one at once, a running one between two shoppers
     * (within about a second, on whichever instance runs it).
     *
     * @throws NothingToCancel when it has finished
     */
    public EvaluationJob cancel(String version) {
        EvaluationJob latest = latest(version);
        EvaluationJob asked = store.requestCancel(latest.id()).orElseThrow(() -> new NothingToCancel(latest));
        EvaluationJob mine = current;
        if (mine != null && mine.id() == asked.id()) {
            cancelledHere = true;
        }
        return asked;
    }

    /** Stops the worker; the job it held is released, so the next start (here or elsewhere) runs it again. */
    public void stop() {
        ExecutorService running;
        synchronized (this) {
            if (worker == null) {
                return;
            }
            stopping = true;
            poller.shutdownNow();
            running = worker;
            worker = null;
            poller = null;
        }
        running.shutdown();
        try {
            running.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        running.shutdownNow();
        EvaluationJob held = current;
        if (held != null) {
            store.release(held.id(), instance);
            current = null;
        }
    }

    private void tick() {
        try {
            EvaluationJob held = current;
            if (held != null) {
                JobProgress running = progress;
                if (running != null && running.id == held.id()) {
                    running.write();
                } else {
                    store.heartbeat(held.id(), instance);
                }
                return;
            }
            synchronized (this) {
                if (current != null || stopping || worker == null) {
                    return;
                }
                Optional<EvaluationJob> orphan = store.claimOrphan(instance, config.evaluationLease());
                orphan.ifPresent(job -> {
                    LOG.infof("Evaluation job %d of %s taken up again (attempt %d)", job.id(), job.version(),
                            job.attempts() + 1);
                    submit(job);
                });
            }
        } catch (RuntimeException e) {
            LOG.warnf("Evaluation job poll failed (will retry): %s", e.toString());
        }
    }

    /** Called holding the lock. */
    private void submit(EvaluationJob job) {
        current = job;
        cancelledHere = false;
        worker.submit(() -> run(job));
    }

    private void run(EvaluationJob job) {
        try {
            if (!store.begin(job.id(), instance)) {
                return; // cancelled while queued, or no longer this instance's
            }
            long began = System.nanoTime();
            JobProgress reporting = new JobProgress(job.id());
            progress = reporting;
            Verdict verdict = gate.judge(job.version(), reporting);
            if (store.finish(job.id(), instance, verdict)) {
                LOG.infof("Evaluation job %d of %s done in %d ms: %s", job.id(), job.version(),
                        (System.nanoTime() - began) / 1_000_000, verdict.summary());
            }
        } catch (Gate.Cancelled cancelled) {
            if (stopping) {
                store.release(job.id(), instance);
            } else {
                store.end(job.id(), instance, EvaluationJob.State.CANCELLED, null);
                LOG.infof("Evaluation job %d of %s cancelled", job.id(), job.version());
            }
        } catch (RuntimeException e) {
            if (stopping) {
                store.release(job.id(), instance);
            } else {
                LOG.errorf(e, "Evaluation job %d of %s failed", job.id(), job.version());
                store.end(job.id(), instance, EvaluationJob.State.FAILED, e.getMessage() == null ? e.toString() : e.getMessage());
            }
        } finally {
            synchronized (this) {
                if (current != null && current.id() == job.id()) {
                    current = null;
                    progress = null;
                }
            }
        }
    }

    /** Writes progress and looks for a cancel at most every half second; a lost hold reads as cancelled. */
    private final class JobProgress implements Gate.Progress {
        private final long id;
        private long lastCheck = System.nanoTime() - CHECK_EVERY_NANOS;
        private volatile long lastWrite = System.nanoTime() - CHECK_EVERY_NANOS;
        private volatile boolean cancelled;
        private volatile long done;
        private volatile long total;

        JobProgress(long id) {
            this.id = id;
        }

        @Override
        public void at(long done, long total) {
            this.done = done;
            this.total = total;
            if (done == total || System.nanoTime() - lastWrite > CHECK_EVERY_NANOS) {
                write();
            }
        }

        /** Stores where the job is and renews the hold (from the job's thread, or the poll's). */
        synchronized void write() {
            lastWrite = System.nanoTime();
            if (!store.progress(id, instance, done, total)) {
                cancelled = true; // cancelled elsewhere, or taken over: this run's result would not count
            }
        }

        @Override
        public boolean cancelled() {
            if (cancelled || stopping || cancelledHere) {
                return true;
            }
            long now = System.nanoTime();
            if (now - lastCheck > CHECK_EVERY_NANOS) {
                lastCheck = now;
                cancelled = store.cancelRequested(id);
            }
            return cancelled;
        }
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "instance";
        }
    }
}

package io.tastemaker.vectors;

import com.google.common.util.concurrent.ListenableFuture;
import io.grpc.Context;
import io.grpc.Status;
import io.tastemaker.resilience.Dependency;
import io.tastemaker.resilience.RequestBudget;
import io.grpc.StatusRuntimeException;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Runs Qdrant calls with a deadline, retrying with exponential back-off only on errors that may
 * pass (the server restarting, overloaded, or a deadline missed); any other error fails at once
 * as a {@link VectorStoreException} that says what was being done. A call made for a request
 * ({@link RequestBudget} with a deadline) is tried once, with the request's remaining time as
 * its gRPC deadline, and skipped at once while the store's circuit breaker is open: a slow or
 * dead store costs a list at most its deadline, never a retry storm.
 */
final class QdrantCalls {

    private static final Logger LOG = Logger.getLogger(QdrantCalls.class);
    static final Set<Status.Code> TRANSIENT = Set.of(Status.Code.UNAVAILABLE, Status.Code.DEADLINE_EXCEEDED,
            Status.Code.RESOURCE_EXHAUSTED, Status.Code.ABORTED);

    private final Duration timeout;
    private final int retries;
    private final Duration backoff;

    /** Cancels a request's call context when its deadline passes (gRPC needs a scheduler for that). */
    private static final ScheduledExecutorService DEADLINES = deadlineScheduler();

    /** A call given less than this is not made: missing so short a deadline would say nothing about the store. */
    private static final long SHORTEST_JUDGED_WAIT = TimeUnit.MILLISECONDS.toNanos(10);

    private final Dependency store;

    QdrantCalls(Duration timeout, int retries, Duration backoff, Dependency store) {
        this.timeout = timeout;
        this.retries = retries;
        this.backoff = backoff;
        this.store = store;
    }

    Dependency dependency() {
        return store;
    }

    <T> T call(String what, Supplier<ListenableFuture<T>> request) {
        RequestBudget budget = RequestBudget.current();
        if (budget.deadline().bounded()) {
            return callOnce(what, request, budget);
        }
        long pause = backoff.toMillis();
        for (int attempt = 0; ; attempt++) {
            try {
                return request.get().get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                Status status = Status.fromThrowable(e.getCause());
                if (!TRANSIENT.contains(status.getCode()) || attempt >= retries) {
                    throw new VectorStoreException("Qdrant failed to " + what + ": " + status.getCode()
                            + (status.getDescription() == null ? "" : " " + status.getDescription()), e.getCause(),
                            status.getCode());
                }
                LOG.debugf("Qdrant %s: %s, retrying in %d ms", what, status.getCode(), pause);
            } catch (TimeoutException e) {
                if (attempt >= retries) {
                    throw new VectorStoreException("Qdrant did not answer in time to " + what, e,
                            Status.Code.DEADLINE_EXCEEDED);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new VectorStoreException("interrupted while Qdrant was asked to " + what, e, Status.Code.CANCELLED);
            }
            sleep(pause);
            pause *= 2;
        }
    }

    /** One try within the budget's deadline, judged by the breaker. */
    private <T> T callOnce(String what, Supplier<ListenableFuture<T>> request, RequestBudget budget) {
        long waitNanos = budget.cap(timeout).toNanos();
        if (waitNanos < SHORTEST_JUDGED_WAIT) {
            // not the store's fault: the request spent its time elsewhere; no breaker trial is used up
            throw new VectorStoreException("no time left to ask Qdrant to " + what, null, Status.Code.DEADLINE_EXCEEDED);
        }
        if (!store.tryAcquire()) {
            throw new VectorStoreException("Qdrant is skipped (circuit breaker open) instead of asked to " + what, null,
                    Status.Code.UNAVAILABLE);
        }
        Context.CancellableContext context = Context.current().withDeadlineAfter(waitNanos, TimeUnit.NANOSECONDS,
                DEADLINES);
        try {
            ListenableFuture<T> call = context.call(request::get);
            // the gRPC deadline ends the call; the margin only guards against a client that never answers
            T result = call.get(waitNanos + TimeUnit.MILLISECONDS.toNanos(50), TimeUnit.NANOSECONDS);
            store.succeeded();
            return result;
        } catch (ExecutionException e) {
            Status status = Status.fromThrowable(e.getCause());
            if (TRANSIENT.contains(status.getCode()) || status.getCode() == Status.Code.CANCELLED) {
                store.failed();
            } else {
                store.succeeded(); // it answered: the request was wrong, not the store
            }
            throw new VectorStoreException("Qdrant failed to " + what + ": " + status.getCode()
                    + (status.getDescription() == null ? "" : " " + status.getDescription()), e.getCause(),
                    status.getCode());
        } catch (TimeoutException e) {
            store.failed();
            throw new VectorStoreException("Qdrant did not answer in time to " + what, e, Status.Code.DEADLINE_EXCEEDED);
        } catch (InterruptedException e) {
            store.failed();
            Thread.currentThread().interrupt();
            throw new VectorStoreException("interrupted while Qdrant was asked to " + what, e, Status.Code.CANCELLED);
        } catch (RuntimeException e) {
            store.failed();
            throw e;
        } catch (Exception e) {
            store.failed();
            throw new VectorStoreException("Qdrant could not be asked to " + what, e, Status.Code.UNKNOWN);
        } finally {
            context.cancel(null);
        }
    }

    private static ScheduledExecutorService deadlineScheduler() {
        ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "tastemaker-qdrant-deadlines");
            t.setDaemon(true);
            return t;
        });
        scheduler.setRemoveOnCancelPolicy(true);
        return scheduler;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static boolean isStatus(Throwable t, Status.Code code) {
        return t instanceof StatusRuntimeException s && s.getStatus().getCode() == code;
    }
}

package io.tastemaker.vectors;

import com.google.common.util.concurrent.ListenableFuture;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Runs Qdrant calls with a deadline, retrying with exponential back-off only on errors that may
 * pass (the server restarting, overloaded, or a deadline missed); any other error fails at once
 * as a {@link VectorStoreException} that says what was being done.
 */
final class QdrantCalls {

    private static final Logger LOG = Logger.getLogger(QdrantCalls.class);
    static final Set<Status.Code> TRANSIENT = Set.of(Status.Code.UNAVAILABLE, Status.Code.DEADLINE_EXCEEDED,
            Status.Code.RESOURCE_EXHAUSTED, Status.Code.ABORTED);

    private final Duration timeout;
    private final int retries;
    private final Duration backoff;

    QdrantCalls(Duration timeout, int retries, Duration backoff) {
        this.timeout = timeout;
        this.retries = retries;
        this.backoff = backoff;
    }

    <T> T call(String what, Supplier<ListenableFuture<T>> request) {
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

package io.tastemaker.db;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.tastemaker.runtime.RuntimeConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Whether PostgreSQL answers now, as a flag the event loop reads for free. A hung database (a
 * stopped process, a stalled disk, a partition) accepts connections and then never replies, so
 * a write that takes a pooled connection would wait for it indefinitely; with this flag, writes
 * that need PostgreSQL are refused at once while it does not answer (see
 * {@code io.tastemaker.admission.AdmissionFilter}), and admitted again within a probe of its return.
 *
 * <p>One thread asks {@code SELECT 1} every {@code tastemaker.database.probe-interval} on a
 * connection of its own, not the pool's, so a probe stuck on a hung server holds no pooled
 * connection; an unanswered probe closes its connection, and a connection attempt still pending
 * is waited on again by the next probe rather than opening another.
 */
@ApplicationScoped
public class DatabaseWatch {

    private static final Logger LOG = Logger.getLogger(DatabaseWatch.class);

    private final Vertx vertx;
    private final RuntimeConfig.Database config;
    private final BoundedPool pool;
    private volatile boolean answering = true;
    private volatile String lastFailure;
    private ScheduledExecutorService prober;
    private Future<PgConnection> connecting;
    private PgConnection connection;

    DatabaseWatch(Vertx vertx, RuntimeConfig runtime, BoundedPool pool) {
        this.vertx = vertx;
        this.config = runtime.database();
        this.pool = pool;
    }

    /** False while PostgreSQL does not answer a probe within its timeout. */
    public boolean answering() {
        return answering;
    }

    /** Why the last probe failed, while PostgreSQL does not answer; null when it does. */
    public String lastFailure() {
        return answering ? null : lastFailure;
    }

    /** When a caller refused for an outage should try again: the next probe's answer. */
    public Duration retryAfter() {
        return config.probeInterval().plus(config.probeTimeout());
    }

    /** After Bootstrap started the embedded database (priority 1). */
    void onStart(@Observes @Priority(3) StartupEvent event) {
        start();
    }

    void onStop(@Observes @Priority(0) ShutdownEvent event) {
        stop();
    }

    synchronized void start() {
        if (prober != null) {
            return;
        }
        prober = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "database-watch");
            thread.setDaemon(true);
            return thread;
        });
        long interval = config.probeInterval().toMillis();
        prober.scheduleWithFixedDelay(this::probe, 0, interval, TimeUnit.MILLISECONDS);
    }

    synchronized void stop() {
        if (prober != null) {
            prober.shutdownNow();
            prober = null;
        }
        closeConnection();
    }

    private void probe() {
        long timeout = config.probeTimeout().toMillis();
        try {
            if (connection == null) {
                if (connecting == null) {
                    Optional<PgConnectOptions> options = pool.connectOptions();
                    if (options.isEmpty()) {
                        return; // nothing has used the database yet
                    }
                    // the pool's own address, credentials and TLS settings
                    connecting = PgConnection.connect(vertx, new PgConnectOptions(options.get())
                            .setConnectTimeout((int) config.probeTimeout().toMillis()));
                }
                connection = connecting.toCompletionStage().toCompletableFuture().get(timeout, TimeUnit.MILLISECONDS);
                connecting = null;
            }
            connection.query("SELECT 1").execute().toCompletionStage().toCompletableFuture()
                    .get(timeout, TimeUnit.MILLISECONDS);
            mark(true, null);
        } catch (TimeoutException e) {
            // a pending connection attempt is kept for the next probe; a connection that stopped answering is dropped
            closeConnection();
            mark(false, "no answer within " + timeout + " ms");
        } catch (ExecutionException e) {
            connecting = null;
            closeConnection();
            mark(false, String.valueOf(e.getCause()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            connecting = null;
            closeConnection();
            mark(false, e.toString());
        }
    }

    private void closeConnection() {
        if (connection != null) {
            connection.close();
            connection = null;
        }
    }

    private void mark(boolean now, String why) {
        if (now != answering) {
            if (now) {
                LOG.info("PostgreSQL answers again: writes that need it are admitted");
            } else {
                LOG.warnf("PostgreSQL does not answer (%s): writes that need it are refused until it does", why);
            }
        }
        lastFailure = why;
        answering = now;
    }
}

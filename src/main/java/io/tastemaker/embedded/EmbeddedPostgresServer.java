package io.tastemaker.embedded;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A real PostgreSQL server started from the binaries shipped in Maven jars, keeping its data
 * in {@code dataDir} across restarts. Used only in embedded mode.
 * <p>PostgreSQL is a process of its own: a JVM killed outright ({@code kill -9}, the OOM killer)
 * runs no shutdown hook and would leave it running as an orphan, holding its port and data
 * directory. A watchdog (a tiny shell loop) waits for this JVM to end and then stops the server
 * the way {@code pg_ctl stop -m fast} does (SIGINT to the postmaster), unless the JVM stopped it
 * already; {@link #close()} ends the watchdog first.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(EmbeddedPostgresServer.class);

    private final EmbeddedPostgres postgres;
    private final Process watchdog;

    private EmbeddedPostgresServer(EmbeddedPostgres postgres, Process watchdog) {
        this.postgres = postgres;
        this.watchdog = watchdog;
    }

    public static EmbeddedPostgresServer start(Path dataDir, int port) {
        try {
            Files.createDirectories(dataDir);
            long started = System.nanoTime();
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDir)
                    // keep the catalog between runs: never wipe an existing cluster
                    .setCleanDataDirectory(false)
                    .setRegisterShutdownHook(false)
                    .setPort(port)
                    .setPGStartupWait(Duration.ofSeconds(30))
                    .setServerConfig("max_connections", "200")
                    // the library's defaults suit throw-away test databases (fsync off, asynchronous
                    // commits); ours keeps a catalog whose Kafka offsets are committed after each
                    // transaction, so a commit must be on disk when it returns
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    .start();
            refuseForeignServer(postgres, dataDir, port);
            LOG.infof("Embedded PostgreSQL ready on port %d (data in %s) after %d ms",
                    port, dataDir, (System.nanoTime() - started) / 1_000_000);
            return new EmbeddedPostgresServer(postgres, watchdog(dataDir));
        } catch (IOException e) {
            throw new UncheckedIOException("could not start embedded PostgreSQL in " + dataDir, e);
        }
    }

    /**
     * The library declares the server ready as soon as something on the port answers: when another
     * PostgreSQL already held the port (another data directory's run, an orphan of it), ours failed
     * to bind and this instance would silently have used the other one's database.
     */
    private static void refuseForeignServer(EmbeddedPostgres postgres, Path dataDir, int port) throws IOException {
        String served;
        try (java.sql.Connection c = postgres.getPostgresDatabase().getConnection();
             java.sql.ResultSet rs = c.createStatement().executeQuery("SHOW data_directory")) {
            rs.next();
            served = rs.getString(1);
        } catch (java.sql.SQLException e) {
            throw new IOException("could not ask the PostgreSQL on port " + port + " for its data directory", e);
        }
        if (!Path.of(served).toRealPath().equals(dataDir.toRealPath())) {
            postgres.close();
            throw new IllegalStateException("Port " + port + " is served by another PostgreSQL (data in " + served
                    + "), not this instance's (" + dataDir + "): stop it, or choose another port with"
                    + " tastemaker.embedded.postgres-port");
        }
    }

    public int port() {
        return postgres.getPort();
    }

    /**
     * Starts the shell loop that stops PostgreSQL once this JVM is gone. It signals only the
     * postmaster this start wrote into {@code postmaster.pid}, and only if the file still names it,
     * so a server a later start runs is never touched. Without a POSIX shell there is no watchdog.
     */
    private static Process watchdog(Path dataDir) {
        Path pidFile = dataDir.resolve("postmaster.pid");
        try {
            String postmaster = Files.readAllLines(pidFile).get(0).strip();
            if (!postmaster.matches("\\d+")) {
                throw new IOException("no process id in " + pidFile);
            }
            String quotedPidFile = "'" + pidFile.toString().replace("'", "'\\''") + "'";
            String script = "while kill -0 " + ProcessHandle.current().pid() + " 2>/dev/null; do sleep 1; done; "
                    + "if [ \"$(head -n 1 " + quotedPidFile + " 2>/dev/null)\" = \"" + postmaster + "\" ]; then "
                    + "kill -INT " + postmaster + "; fi";
            return new ProcessBuilder("sh", "-c", script)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
        } catch (IOException | RuntimeException e) {
            LOG.warnf("no watchdog for the embedded PostgreSQL (%s): if this JVM is killed outright, stop it"
                    + " yourself or let the next start take it over", e.toString());
            return null;
        }
    }

    @Override
    public void close() {
        if (watchdog != null) {
            watchdog.destroy();
        }
        try {
            postgres.close();
        } catch (IOException e) {
            LOG.warn("embedded PostgreSQL did not stop cleanly", e);
        }
    }
}

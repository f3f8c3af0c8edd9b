package io.tastemaker.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A hung database for fault tests: every process of an embedded PostgreSQL (the postmaster named
 * in its data directory's {@code postmaster.pid} and all its children) stopped with SIGSTOP, so
 * connections stay open and statements never answer, as when a database host freezes. Closing
 * sends SIGCONT; always close it (try-with-resources), or the test run keeps a frozen database.
 */
public final class PausedPostgres implements AutoCloseable {

    private final List<Long> pids;

    private PausedPostgres(List<Long> pids) {
        this.pids = pids;
    }

    /** Stops the PostgreSQL whose data directory is {@code dataDir}. */
    public static PausedPostgres pause(Path dataDir) {
        long postmaster = postmasterPid(dataDir);
        List<Long> pids = new ArrayList<>();
        pids.add(postmaster);
        ProcessHandle.of(postmaster).ifPresent(p -> p.descendants().forEach(d -> pids.add(d.pid())));
        signal("-STOP", pids);
        return new PausedPostgres(List.copyOf(pids));
    }

    /** How many processes were stopped (the postmaster and its children). */
    public int processes() {
        return pids.size();
    }

    @Override
    public void close() {
        signal("-CONT", pids);
    }

    /** The pids a {@code kill} was sent to (for the test's log). */
    public List<Long> pids() {
        return pids;
    }

    private static long postmasterPid(Path dataDir) {
        Path file = dataDir.resolve("postmaster.pid");
        try (Stream<String> lines = Files.lines(file)) {
            return Long.parseLong(lines.findFirst().orElseThrow().trim());
        } catch (IOException e) {
            throw new UncheckedIOException("no running PostgreSQL in " + dataDir, e);
        }
    }

    private static void signal(String signal, List<Long> pids) {
        List<String> command = new ArrayList<>(List.of("kill", signal));
        pids.forEach(p -> command.add(String.valueOf(p)));
        try {
            Process kill = new ProcessBuilder(command).inheritIO().start();
            if (kill.waitFor() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

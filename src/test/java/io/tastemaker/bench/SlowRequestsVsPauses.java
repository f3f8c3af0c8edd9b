package io.tastemaker.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How many of the slow requests a {@link FixedRateLoad} run wrote ({@code -Dbench.slowLog}) were
 * caught by one of the service's stop-the-world pauses, to tell the GC's share of a tail from the
 * rest. The service logs its pauses with wall-clock time, e.g.
 * {@code -Xlog:gc:file=/tmp/gc.log:time,uptime,tags}: each pause line ends with its duration, and
 * its time is when it ended.
 *
 * <p>A slow request is "while the machine stood still" when it overlaps a stretch between two
 * log lines over which the wall clock moved more than 100 ms further than the JVM's uptime: the
 * uptime follows the monotonic clock, so such a jump means the whole machine was stopped (a
 * virtual machine paused by its host; its kernel then logs "crng reseeded due to virtual machine
 * fork"), which no change to the service can help. Else it is "in a pause" when a pause overlaps
 * the time from its due time to its response, "after a pause" when it was due within
 * {@code afterMs} (default 50) of a pause's end (the backlog the pause left), else "elsewhere" (its
 * due times are printed for a closer look).
 *
 * <p>Usage: {@code SlowRequestsVsPauses <slowLog> <gcLog> [afterMs=50]}.
 */
public final class SlowRequestsVsPauses {

    private static final Pattern PAUSE = Pattern.compile("^\\[([^\\]]+)\\].*\\bPause\\b.*?([0-9.]+)ms$");
    private static final Pattern DECORATIONS = Pattern.compile("^\\[([^\\]]+)\\]\\[([0-9.]+)s\\]");
    /** How much further the wall clock may move than the uptime between two lines (clock noise). */
    private static final double STALL_MS = 100;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ");

    private SlowRequestsVsPauses() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("usage: SlowRequestsVsPauses <slowLog> <gcLog> [afterMs=50]");
            System.exit(2);
        }
        double afterMs = args.length > 2 ? Double.parseDouble(args[2]) : 50;
        Path gcLog = Path.of(args[1]);
        List<String> gcLines = Files.readAllLines(gcLog);
        double[][] pauses = pauses(gcLog, gcLines);
        double[][] stalls = stalls(gcLines);
        List<double[]> slow = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of(args[0]))) {
            String[] f = line.trim().split(" ");
            if (f.length >= 3) {
                slow.add(new double[] {Double.parseDouble(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2])});
            }
        }
        if (slow.isEmpty()) {
            System.out.println("no slow requests");
            return;
        }
        double first = slow.stream().mapToDouble(r -> r[0]).min().orElseThrow();
        double last = slow.stream().mapToDouble(r -> r[0] + r[1]).max().orElseThrow();
        int stalled = 0;
        int inPause = 0;
        int afterPause = 0;
        List<double[]> elsewhere = new ArrayList<>();
        for (double[] r : slow) {
            double due = r[0];
            double end = r[0] + r[1];
            if (overlaps(stalls, due, end)) {
                stalled++;
            } else if (overlaps(pauses, due, end)) {
                inPause++;
            } else if (dueSoonAfterPause(pauses, due, afterMs)) {
                afterPause++;
            } else {
                elsewhere.add(r);
            }
        }
        double[] durations = Arrays.stream(pauses)
                .filter(p -> p[1] >= first && p[0] <= last)
                .mapToDouble(p -> p[1] - p[0]).sorted().toArray();
        System.out.printf(Locale.ROOT, "%d slow requests over %.0f s; pauses in that time: %d (median %.1f ms, max %.1f ms,"
                        + " %.1f s apart on average)%n", slow.size(), (last - first) / 1000, durations.length,
                durations.length == 0 ? Double.NaN : durations[durations.length / 2],
                durations.length == 0 ? Double.NaN : durations[durations.length - 1],
                durations.length == 0 ? Double.NaN : (last - first) / 1000 / durations.length);
        for (double[] stall : stalls) {
            if (stall[1] >= first && stall[0] <= last) {
                System.out.printf(Locale.ROOT, "the machine stood still for %.1f s between %s and %s (wall clock against the"
                        + " JVM's uptime)%n", stall[2] / 1000, Instant.ofEpochMilli((long) stall[0]),
                        Instant.ofEpochMilli((long) stall[1]));
            }
        }
        System.out.printf(Locale.ROOT, "while the machine stood still: %d (%.0f %%); in a pause: %d (%.0f %%);"
                        + " due within %.0f ms after one: %d (%.0f %%); elsewhere: %d (%.0f %%)%n",
                stalled, 100.0 * stalled / slow.size(), inPause, 100.0 * inPause / slow.size(), afterMs, afterPause,
                100.0 * afterPause / slow.size(), elsewhere.size(), 100.0 * elsewhere.size() / slow.size());
        elsewhere.sort((a, b) -> Double.compare(a[0], b[0]));
        for (double[] r : elsewhere.subList(0, Math.min(40, elsewhere.size()))) {
            System.out.printf(Locale.ROOT, "  elsewhere: due %s latency %.1f ms service %.1f ms%n",
                    Instant.ofEpochMilli((long) r[0]), r[1], r[2]);
        }
    }

    /** Each pause as {start, end} in epoch milliseconds, in order of end. */
    private static double[][] pauses(Path gcLog, List<String> gcLines) {
        List<double[]> pauses = new ArrayList<>();
        for (String line : gcLines) {
            Matcher m = PAUSE.matcher(line);
            if (m.find()) {
                double end = OffsetDateTime.parse(m.group(1), TIME).toInstant().toEpochMilli();
                pauses.add(new double[] {end - Double.parseDouble(m.group(2)), end});
            }
        }
        if (pauses.isEmpty()) {
            throw new IllegalArgumentException("no pause lines with wall-clock time in " + gcLog
                    + " (log with -Xlog:gc:file=...:time,uptime,tags)");
        }
        return pauses.toArray(new double[0][]);
    }

    /**
     * Each stretch between two log lines over which the wall clock moved more than {@link #STALL_MS}
     * further than the uptime, as {from, to, jump} in epoch milliseconds.
     */
    private static double[][] stalls(List<String> gcLines) {
        List<double[]> stalls = new ArrayList<>();
        double previousWall = Double.NaN;
        double previousOffset = Double.NaN;
        for (String line : gcLines) {
            Matcher m = DECORATIONS.matcher(line);
            if (!m.find()) {
                continue;
            }
            double wall = OffsetDateTime.parse(m.group(1), TIME).toInstant().toEpochMilli();
            double offset = wall - Double.parseDouble(m.group(2)) * 1000;
            if (offset - previousOffset > STALL_MS) {
                stalls.add(new double[] {previousWall, wall, offset - previousOffset});
            }
            previousWall = wall;
            previousOffset = offset;
        }
        return stalls.toArray(new double[0][]);
    }

    private static boolean overlaps(double[][] spans, double from, double to) {
        for (double[] p : spans) {
            if (p[0] <= to && p[1] >= from) {
                return true;
            }
        }
        return false;
    }

    private static boolean dueSoonAfterPause(double[][] pauses, double due, double afterMs) {
        for (double[] p : pauses) {
            if (due >= p[1] && due <= p[1] + afterMs) {
                return true;
            }
        }
        return false;
    }
}

package io.tastemaker.operations;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;

/**
 * Samples of ever-growing totals (counters), kept for a little over a window, so that a rate is
 * "over the last minute" and not "since start". Plain Java; the caller supplies the clock.
 */
final class RateWindow {

    private record Sample(long atMillis, Map<String, Double> totals) {
    }

    private final long windowMillis;
    private final Deque<Sample> samples = new ArrayDeque<>();

    RateWindow(long windowMillis) {
        this.windowMillis = windowMillis;
    }

    synchronized void record(long atMillis, Map<String, Double> totals) {
        samples.addLast(new Sample(atMillis, Map.copyOf(totals)));
        // keep the newest sample at least a window old: it is the base of every rate
        while (samples.size() > 2) {
            Sample second = samples.stream().skip(1).findFirst().orElseThrow();
            if (atMillis - second.atMillis() < windowMillis) {
                break;
            }
            samples.removeFirst();
        }
    }

    /** What the window covers now, in seconds (less than the window shortly after start). */
    synchronized double seconds() {
        if (samples.size() < 2) {
            return 0;
        }
        return (samples.getLast().atMillis() - base().atMillis()) / 1000.0;
    }

    /** How much {@code key} grew over the window; 0 for a key not seen in both samples. */
    synchronized double growth(String key) {
        if (samples.size() < 2) {
            return 0;
        }
        Double now = samples.getLast().totals().get(key);
        if (now == null) {
            return 0;
        }
        // a counter that appeared inside the window started from zero
        double then = base().totals().getOrDefault(key, 0.0);
        return Math.max(0, now - then);
    }

    /** Growth per second over the window, or null while it covers no time yet. */
    synchronized Double perSecond(String key) {
        double seconds = seconds();
        return seconds <= 0 ? null : growth(key) / seconds;
    }

    /** The newest sample at least a window before the last one, else the oldest. */
    private Sample base() {
        long last = samples.getLast().atMillis();
        Sample base = samples.getFirst();
        for (Sample s : samples) {
            if (last - s.atMillis() >= windowMillis) {
                base = s;
            } else {
                break;
            }
        }
        return base;
    }
}

package io.tastemaker.models.gate;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.Optional;

/**
 * Where the shop's engagement is cut in time: a fine-tune learns from what happened before the
 * cut-off, the gate chooses weights on the first half of the time after it and scores the second
 * half. The cut-off leaves the most recent {@code recentShare} of the engagement after it, or,
 * with {@code recentSpan}, the last span of time; the fine-tune's default and the gate's use the
 * same rule, so a fine-tune judged soon after it was trained is judged on exactly what it did not see.
 *
 * @param recentShare share of the engagement events (0–1) that lie after the cut-off
 * @param recentSpan  when present, the cut-off is this long before the latest engagement instead
 */
public record TimeSplit(double recentShare, Optional<Duration> recentSpan) {

    public TimeSplit {
        if (!(recentShare > 0) || recentShare >= 1) {
            throw new IllegalArgumentException("recentShare must be in (0, 1), was " + recentShare);
        }
    }

    /** The share rule's cut-off over these engagement times (null when there are none). */
    public Instant cutOff(Collection<Instant> times) {
        if (times.isEmpty()) {
            return null;
        }
        Instant[] sorted = times.toArray(Instant[]::new);
        Arrays.sort(sorted);
        Instant end = sorted[sorted.length - 1];
        if (recentSpan.isPresent()) {
            return end.minus(recentSpan.get());
        }
        int after = (int) Math.max(1, Math.round(recentShare * sorted.length));
        return sorted[sorted.length - after];
    }

    /**
     * The window over these engagement times: cut-off by this rule, but never before
     * {@code notBefore} (the latest training cut-off of the versions judged: nothing they learnt
     * from may be scored); validation until halfway in time between the cut-off and the latest
     * engagement, test after it. Null when there is no engagement.
     */
    public Window window(Collection<Instant> times, Instant notBefore) {
        Instant cutOff = cutOff(times);
        if (cutOff == null) {
            return null;
        }
        Instant end = times.stream().max(Instant::compareTo).orElseThrow();
        if (notBefore != null && notBefore.isAfter(cutOff)) {
            cutOff = notBefore;
        }
        if (cutOff.isAfter(end)) {
            return new Window(cutOff, cutOff, cutOff);
        }
        Instant validationEnd = cutOff.plus(Duration.between(cutOff, end).dividedBy(2));
        return new Window(cutOff, validationEnd, end);
    }
}

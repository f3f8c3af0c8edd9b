package io.tastemaker.models;

import java.time.Duration;
import java.time.Instant;

/**
 * How long a running job (an index build, a fine-tune) still needs, from the share done since it
 * started: the average rate so far, projected over what is left. A build resumed after a restart
 * counts the pause in its elapsed time, so its estimate starts high and falls as it runs.
 */
public record Eta(Double perSecond, Long seconds) {

    static final Eta UNKNOWN = new Eta(null, null);

    /**
     * @param done  units done (products indexed, batches trained)
     * @param total units in all, or null when not known yet
     * @param since when the job started, or null
     */
    public static Eta of(long done, Long total, Instant since, Instant now) {
        if (total == null || since == null || done <= 0) {
            return UNKNOWN;
        }
        double elapsed = Math.max(0.001, Duration.between(since, now).toMillis() / 1000.0);
        double rate = done / elapsed;
        long left = Math.max(0, total - done);
        return new Eta(Math.round(rate * 10) / 10.0, (long) Math.ceil(left / rate));
    }
}

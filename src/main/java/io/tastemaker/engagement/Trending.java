package io.tastemaker.engagement;

import java.time.Duration;
import java.time.Instant;

/**
 * Exponentially decayed counts kept as order-independent log scores. A count that decays with
 * half-life h, evaluated at time T, is Σ wᵢ·2^(−(T−tᵢ)/h) = e^(−λT)·Σ wᵢ·e^(λtᵢ). The factor
 * e^(−λT) is the same for every product, so ranking needs only log Σ wᵢ·e^(λtᵢ): it never
 * changes with the clock (an index can keep it sorted), adding an event is a log-add-exp, and
 * the result does not depend on the order events arrive in, so a replay reproduces it.
 * Logs keep it finite for any time span.
 */
public final class Trending {

    /** Scores are measured from here; any fixed instant would do. */
    static final Instant EPOCH = Instant.parse("2020-01-01T00:00:00Z");

    private final double lambdaPerMilli;

    public Trending(Duration halfLife) {
        this.lambdaPerMilli = Math.log(2) / halfLife.toMillis();
    }

    /** The log score of one event of positive weight {@code weight} at {@code at}. */
    public double logScore(double weight, Instant at) {
        return Math.log(weight) + lambdaPerMilli * (at.toEpochMilli() - EPOCH.toEpochMilli());
    }

    /** The decayed count a log score stands for, as of {@code now}. */
    public double countAt(double logScore, Instant now) {
        return Math.exp(logScore - lambdaPerMilli * (now.toEpochMilli() - EPOCH.toEpochMilli()));
    }

    /** log(eᵃ + eᵇ), without overflow. */
    public static double add(double a, double b) {
        if (Double.isInfinite(a) && a < 0) {
            return b;
        }
        double max = Math.max(a, b);
        return max + Math.log1p(Math.exp(Math.min(a, b) - max));
    }
}

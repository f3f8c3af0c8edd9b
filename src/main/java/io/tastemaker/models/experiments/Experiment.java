package io.tastemaker.models.experiments;

import java.time.Instant;

/**
 * An A/B experiment between the active version ({@code control}) and a ready one
 * ({@code treatment}), which serves {@code percent} of the shoppers; running while
 * {@code endedAt} is null.
 */
public record Experiment(long id, String control, String treatment, double percent, String actor, Instant startedAt,
                         Instant updatedAt, Instant endedAt, String endReason) {

    /** The share as stored and hashed against: 1 = 0.01 % of shoppers. */
    public int basisPoints() {
        return (int) Math.round(percent * 100);
    }
}

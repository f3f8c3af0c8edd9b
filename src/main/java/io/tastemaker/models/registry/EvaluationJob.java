package io.tastemaker.models.registry;

import io.tastemaker.models.gate.Verdict;

import java.time.Instant;
import java.util.Locale;

/**
 * One run of the evaluation gate: a version judged against the version active when the job was
 * started ({@code against}), its progress ({@code done} of {@code total} shoppers), and, once
 * done, its verdict. {@code attempts} counts its starts: more than one after a restart interrupted it.
 */
public record EvaluationJob(long id, String version, String against, State state, long done, Long total, int attempts,
                            boolean cancelRequested, Verdict verdict, String error, Instant createdAt, Instant startedAt,
                            Instant finishedAt) {

    public enum State {
        QUEUED, RUNNING, DONE, FAILED, CANCELLED;

        @com.fasterxml.jackson.annotation.JsonValue
        public String jsonName() {
            return name().toLowerCase(Locale.ROOT);
        }

        static State of(String name) {
            return valueOf(name.toUpperCase(Locale.ROOT));
        }

        public boolean unfinished() {
            return this == QUEUED || this == RUNNING;
        }
    }

    /** Share of the shoppers judged, 0–100, or null before the job knows how many. */
    public Double percent() {
        if (state == State.DONE) {
            return 100.0;
        }
        if (total == null || total <= 0) {
            return null;
        }
        return Math.min(100.0, Math.round(1000.0 * done / total) / 10.0);
    }
}

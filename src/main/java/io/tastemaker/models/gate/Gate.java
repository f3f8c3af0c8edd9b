package io.tastemaker.models.gate;

/** Judges a built version against the active one. Long-running: called from a job's thread, never a request's. */
public interface Gate {

    /** Where a run is, and whether its job was cancelled (asked between shoppers). */
    interface Progress {
        void at(long done, long total);

        boolean cancelled();
    }

    /** Thrown out of {@link #judge} when {@link Progress#cancelled()} said so. */
    final class Cancelled extends RuntimeException {
        public Cancelled() {
            super("evaluation cancelled");
        }
    }

    Verdict judge(String version, Progress progress);
}

package io.tastemaker.recommend;

import io.tastemaker.errors.Unavailable;

import java.time.Duration;
import java.util.List;

/** Every step a list needed failed or ran out of time, so there is nothing to show: asking again soon may work. */
public final class NothingToAnswer extends Unavailable {

    NothingToAnswer(List<String> degraded, Duration retryAfter) {
        super("No list can be answered now: " + String.join(", ", degraded)
                + " could not be reached in time. Ask again after Retry-After.", retryAfter);
    }
}

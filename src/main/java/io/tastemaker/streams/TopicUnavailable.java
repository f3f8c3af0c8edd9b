package io.tastemaker.streams;

import io.tastemaker.errors.Unavailable;

import java.time.Duration;
import java.util.Map;

/** A write the broker did not take: the caller may send it again (an event id counts once). */
public final class TopicUnavailable extends Unavailable {

    private TopicUnavailable(String message, Duration retryAfter, Map<String, Object> extensions) {
        super(message, retryAfter, extensions);
    }

    /** This one, with members the caller's answer should carry (e.g. how much of an import got through). */
    public TopicUnavailable with(String detail, Map<String, Object> extensions) {
        return new TopicUnavailable(getMessage() + " " + detail, retryAfter(), extensions);
    }

    /** The broker answered the write with an error. */
    static TopicUnavailable notAcknowledged(String topic, Throwable error) {
        return new TopicUnavailable("The topic " + topic + " did not acknowledge the write: " + error.getMessage()
                + " Sending it again is safe.", Duration.ofSeconds(1), Map.of());
    }

    /** The broker did not acknowledge the write in time; it may still arrive, which a retry cannot harm. */
    static TopicUnavailable notConfirmed(String topic, Duration waited) {
        return new TopicUnavailable("The topic " + topic + " did not confirm the write within " + waited.toMillis()
                + " ms; it may or may not have been recorded. Sending it again is safe: an eventId counts once,"
                + " a product change carries the whole product.", Duration.ofSeconds(1), Map.of());
    }

    /** The broker failed the last writes: refused at once, for as long as the breaker stays open. */
    static TopicUnavailable refused(String topic, Duration retryAfter) {
        return new TopicUnavailable("The broker is unavailable: writes to " + topic + " are refused for now."
                + " Nothing was recorded; send it again later.", retryAfter, Map.of());
    }

    /** More writes are waiting than the broker takes now. */
    static TopicUnavailable busy(String topic, Duration retryAfter) {
        return new TopicUnavailable("Too many writes to " + topic + " are waiting for the broker."
                + " Nothing was recorded; send it again later.", retryAfter, Map.of());
    }

    /** The write could not even be handed to the producer. */
    static TopicUnavailable unreachable(String topic, RuntimeException e) {
        return new TopicUnavailable("The topic " + topic + " is unavailable: " + e.getMessage()
                + " Part of it may be recorded; sending it again is safe.", Duration.ofSeconds(1), Map.of());
    }
}

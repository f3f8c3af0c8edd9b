package io.tastemaker.streams;

import io.tastemaker.errors.Unavailable;

/** A write the broker did not take: the caller may send it again (an event id counts once). */
public final class TopicUnavailable extends Unavailable {

    private TopicUnavailable(String message) {
        super(message);
    }

    /** The broker answered the write with an error. */
    static TopicUnavailable notAcknowledged(String topic, Exception error) {
        return new TopicUnavailable("The topic " + topic + " did not acknowledge the write: " + error.getMessage());
    }

    /** The write could not even be handed to the producer. */
    static TopicUnavailable unreachable(String topic, RuntimeException e) {
        return new TopicUnavailable("The topic " + topic + " is unavailable: " + e.getMessage());
    }
}

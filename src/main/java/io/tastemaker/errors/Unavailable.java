package io.tastemaker.errors;

/** A service this one depends on (the broker, the database) cannot be reached now; asking again may work. */
public abstract class Unavailable extends RuntimeException {

    protected Unavailable(String message) {
        super(message);
    }
}

package io.tastemaker.db;

import io.tastemaker.errors.Unavailable;

/** PostgreSQL does not answer (stopped, unreachable, or every connection busy past the wait): try again shortly. */
public class DatabaseUnavailable extends Unavailable {

    public DatabaseUnavailable(String message) {
        super(message);
    }

    public DatabaseUnavailable(String message, Throwable cause) {
        super(message);
        initCause(cause);
    }

    /**
     * Whether {@code failure} says the database did not answer (a timeout, a refused or closed
     * connection, no pooled connection within the wait, the wait queue full) rather than that it
     * refused a statement.
     */
    public static boolean isOutage(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String name = t.getClass().getSimpleName();
            if (name.contains("Timeout") || name.equals("ConnectException") || name.equals("ClosedConnectionException")
                    || name.equals("ConnectionPoolTooBusyException")) {
                return true;
            }
        }
        return false;
    }

    /** {@code failure} as a DatabaseUnavailable when it is an outage; otherwise as it is. */
    public static RuntimeException classify(RuntimeException failure) {
        return failure instanceof DatabaseUnavailable || !isOutage(failure) ? failure
                : new DatabaseUnavailable("PostgreSQL did not answer in time; nothing was changed that is not "
                + "committed. Try again shortly.", failure);
    }
}

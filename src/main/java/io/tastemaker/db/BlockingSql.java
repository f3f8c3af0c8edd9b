package io.tastemaker.db;

import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;
import io.vertx.mutiny.sqlclient.Tuple;

import io.tastemaker.resilience.RequestBudget;

import java.time.Duration;
import java.util.List;
import java.util.function.Function;

/**
 * The reactive PostgreSQL client used from worker threads (stores the request path calls from
 * {@code @Blocking} endpoints, consumers and pollers): a statement or a transaction, waited for.
 * Never call from an event loop.
 */
public final class BlockingSql {

    private BlockingSql() {
    }

    /**
     * One statement, waited for at most {@code timeout}, or less when the thread answers a request
     * whose deadline comes sooner ({@link RequestBudget}): a hung database costs a list its
     * deadline, not the store's own timeout.
     *
     * @throws DatabaseUnavailable when PostgreSQL does not answer in that time or cannot be reached
     */
    public static RowSet<Row> query(SqlClient client, String sql, Tuple args, Duration timeout) {
        try {
            return client.preparedQuery(sql).execute(args).await().atMost(RequestBudget.current().cap(timeout));
        } catch (RuntimeException e) {
            throw DatabaseUnavailable.classify(e);
        }
    }

    /**
     * One statement executed for each of {@code rows} in one round trip; the answer holds the first
     * row's result, {@link RowSet#next()} the following ones.
     *
     * @throws DatabaseUnavailable as {@link #query}
     */
    public static RowSet<Row> batch(SqlClient client, String sql, List<Tuple> rows, Duration timeout) {
        try {
            return client.preparedQuery(sql).executeBatch(rows).await().atMost(RequestBudget.current().cap(timeout));
        } catch (RuntimeException e) {
            throw DatabaseUnavailable.classify(e);
        }
    }

    /** A nullable timestamp column as an instant. */
    public static java.time.Instant instant(java.time.OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }

    /**
     * Runs {@code work} in one transaction; rolls back (keeping the first failure) if it throws.
     *
     * @throws DatabaseUnavailable when PostgreSQL does not answer within {@code timeout} or cannot be reached
     */
    public static <T> T inTransaction(Pool pool, Duration timeout, Function<SqlConnection, T> work) {
        try {
            return transaction(pool, timeout, work);
        } catch (RuntimeException e) {
            throw DatabaseUnavailable.classify(e);
        }
    }

    private static <T> T transaction(Pool pool, Duration timeout, Function<SqlConnection, T> work) {
        SqlConnection connection = pool.getConnection().await().atMost(timeout);
        try {
            Transaction transaction = connection.begin().await().atMost(timeout);
            T result;
            try {
                result = work.apply(connection);
            } catch (Throwable e) {
                try {
                    transaction.rollback().await().atMost(timeout);
                } catch (RuntimeException rollbackFailure) {
                    e.addSuppressed(rollbackFailure);
                }
                throw e;
            }
            transaction.commit().await().atMost(timeout);
            return result;
        } finally {
            connection.close().await().atMost(timeout);
        }
    }
}

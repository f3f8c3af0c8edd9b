package io.tastemaker.db;

import io.quarkus.reactive.pg.client.PgPoolCreator;
import io.tastemaker.runtime.RuntimeConfig;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import jakarta.inject.Singleton;

import java.util.concurrent.TimeUnit;

/**
 * The reactive connection pool as Quarkus configures it, with the two bounds its configuration
 * does not offer: how many callers may wait for a connection (Vert.x's default: no limit, so a
 * hung database lets waiters pile up without end) and how long one waits before failing.
 */
@Singleton
public class BoundedPool implements PgPoolCreator {

    private final RuntimeConfig.Database config;
    private volatile PgConnectOptions connectOptions;

    BoundedPool(RuntimeConfig runtime) {
        this.config = runtime.database();
    }

    @Override
    public Pool create(Input input) {
        connectOptions = input.pgConnectOptionsList().get(0);
        PoolOptions options = new PoolOptions(input.poolOptions())
                .setMaxWaitQueueSize(config.poolWaitQueue())
                .setConnectionTimeout((int) Math.max(1, config.acquisitionTimeout().toMillis()))
                .setConnectionTimeoutUnit(TimeUnit.MILLISECONDS);
        return PgBuilder.pool().with(options).connectingTo(java.util.List.<io.vertx.sqlclient.SqlConnectOptions>copyOf(input.pgConnectOptionsList())).using(input.vertx()).build();
    }

    /**
     * How the pool connects (address, credentials, TLS), for {@link DatabaseWatch}'s own
     * connection; empty until the pool exists.
     */
    java.util.Optional<PgConnectOptions> connectOptions() {
        return java.util.Optional.ofNullable(connectOptions);
    }
}

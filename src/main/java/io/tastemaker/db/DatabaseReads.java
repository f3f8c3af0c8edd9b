package io.tastemaker.db;

import io.tastemaker.runtime.BreakerConfig;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.tastemaker.resilience.Deadline;
import io.tastemaker.resilience.Dependency;
import io.tastemaker.resilience.RequestBudget;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * PostgreSQL as the request path reads it (taste profiles, co-engagement links, trending), behind
 * one circuit breaker: while PostgreSQL is down or hung, reads are refused at once and the readers
 * serve what they last read, instead of each request waiting on a pool of 20 worker threads. A
 * read during a request waits at most what is left of the request's deadline ({@link BlockingSql}
 * cuts every wait to it); a background refresh at most {@code tastemaker.database.reads.timeout}.
 */
@ApplicationScoped
public class DatabaseReads {

    private final Dependency postgres;
    private final DatabaseWatch watch;
    private final Duration timeout;
    /** Refreshes cached reads off the request path; two threads: each read is one indexed statement. */
    private final ExecutorService refresher = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "tastemaker-read-refresh");
        t.setDaemon(true);
        return t;
    });

    DatabaseReads(ReadsConfig config, DatabaseWatch watch, MeterRegistry registry) {
        this.watch = watch;
        BreakerConfig b = config.breaker();
        this.postgres = new Dependency("postgresql",
                new Dependency.Settings(b.window(), b.minimumCalls(), b.failureRatio(), b.openFor()));
        this.timeout = config.timeout();
        Gauge.builder("tastemaker.dependency.circuit.state", postgres, Dependency::stateValue)
                .description("0 closed, 0.5 half-open, 1 open: whether calls to the dependency are skipped")
                .tag("dependency", postgres.name()).register(registry);
    }

    /**
     * Runs one read: refused at once while the breaker is open, while PostgreSQL does not answer
     * the {@link DatabaseWatch}'s probe (the outage is known once, not learnt again by the reads'
     * own failures), or when the request has no time left (these refusals do not count against
     * PostgreSQL); a failure or a timeout counts.
     */
    public <T> T read(Supplier<T> read) {
        if (!watch.answering()) {
            throw new Dependency.Down("PostgreSQL does not answer: " + watch.lastFailure(), null);
        }
        RequestBudget budget = RequestBudget.current();
        if (!budget.deadline().bounded()) {
            try (RequestBudget.Scope bound = RequestBudget.bounded(Deadline.in(timeout)).bind()) {
                return postgres.call(read);
            }
        }
        if (budget.deadline().expired()) {
            throw new Dependency.Down("no time left in the request to read PostgreSQL", null);
        }
        return postgres.call(read);
    }

    /** Where cached reads are refreshed. */
    public ExecutorService refresher() {
        return refresher;
    }

    public Dependency dependency() {
        return postgres;
    }

    @PreDestroy
    void stop() {
        refresher.shutdownNow();
    }
}

package io.tastemaker.admission;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.tastemaker.api.Problem;
import io.tastemaker.db.DatabaseWatch;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * Load shedding at the door: on the event loop, before a request is queued for a worker thread
 * or a connection, a storefront list or a write that needs PostgreSQL takes a place in its
 * class's {@link AdmissionGate}, or is refused at once with a 503 problem and
 * {@code Retry-After}. So beyond capacity the excess costs a few microseconds instead of
 * waiting in an unbounded queue, the admitted requests keep their latency, and memory stays
 * bounded. Writes are also refused at once while PostgreSQL does not answer ({@link DatabaseWatch}),
 * instead of hanging on a connection to a server that never replies.
 *
 * <p>Runs after {@code io.tastemaker.security.RequestGuard} (a key's rate limit is that key's
 * quota; this is the instance's capacity). Counted in {@code tastemaker_admission_shed_total{class,reason}};
 * what is in flight in {@code tastemaker_admission_in_flight{class}}.
 */
@ApplicationScoped
public class AdmissionFilter {

    /** Below RequestGuard's 1000: quotas first, then capacity. */
    private static final int PRIORITY = 900;

    private final boolean enabled;
    private final Duration retryAfter;
    private final DatabaseWatch database;
    private final ObjectMapper mapper;
    private final Map<RequestClass, AdmissionGate> gates = new EnumMap<>(RequestClass.class);
    private final Map<RequestClass, Counter> shedForCapacity = new EnumMap<>(RequestClass.class);
    private final Counter shedForDatabase;

    AdmissionFilter(AdmissionConfig config, DatabaseWatch database, ObjectMapper mapper, MeterRegistry registry,
                    @ConfigProperty(name = "quarkus.thread-pool.max-threads") Optional<Integer> workerThreads) {
        this.enabled = config.enabled();
        this.retryAfter = config.retryAfter();
        this.database = database;
        this.mapper = mapper;
        int workers = workerThreads.orElse(Math.max(200, 8 * Runtime.getRuntime().availableProcessors()));
        // Ranking is CPU work: beyond a few lists per core, more in flight only queue for a core
        // and every admitted list gets slower. Sixteen per core leaves room for lists waiting on
        // the LLM without a thread; never more than half the worker pool.
        int lists = Math.min(Math.max(1, workers / 2), 16 * Runtime.getRuntime().availableProcessors());
        gates.put(RequestClass.LISTS, new AdmissionGate(config.listsMaxInFlight().orElse(lists)));
        gates.put(RequestClass.WRITES, new AdmissionGate(config.writesMaxInFlight()));
        gates.forEach((requestClass, gate) -> {
            Gauge.builder("tastemaker.admission.in.flight", gate, AdmissionGate::inFlight)
                    .description("Requests of this class being served now").tag("class", requestClass.key())
                    .register(registry);
            Gauge.builder("tastemaker.admission.limit", gate, AdmissionGate::limit)
                    .description("Requests of this class admitted at once").tag("class", requestClass.key())
                    .register(registry);
            shedForCapacity.put(requestClass, Counter.builder("tastemaker.admission.shed")
                    .description("Requests refused at the door").tag("class", requestClass.key())
                    .tag("reason", "capacity").register(registry));
        });
        this.shedForDatabase = Counter.builder("tastemaker.admission.shed").description("Requests refused at the door")
                .tag("class", RequestClass.WRITES.key()).tag("reason", "database").register(registry);
    }

    void register(@Observes Filters filters) {
        filters.register(this::admit, PRIORITY);
    }

    void admit(RoutingContext context) {
        if (!enabled) {
            context.next();
            return;
        }
        RequestClass requestClass = RequestClass.of(context.request().method().name(), context.normalizedPath());
        AdmissionGate gate = gates.get(requestClass);
        if (gate == null) {
            context.next();
            return;
        }
        if (requestClass == RequestClass.WRITES && !database.answering()) {
            shedForDatabase.increment();
            refuse(context, "PostgreSQL does not answer now, so this change was not made; try again shortly.",
                    database.retryAfter());
            return;
        }
        if (!gate.tryEnter()) {
            shedForCapacity.get(requestClass).increment();
            refuse(context, "This instance is serving as many " + requestClass.key()
                    + " as it can; try again shortly (or another instance).", retryAfter);
            return;
        }
        // called once whether the response ends or the connection closes first
        context.addEndHandler(done -> gate.leave());
        context.next();
    }

    /**
     * One more list in flight for a request already admitted that answers several lists (a
     * batch): taken at once, or refused (false, nothing taken) when the instance has none to
     * spare; never waits. Give it back with {@link #leaveList()}.
     */
    public boolean tryEnterList() {
        return !enabled || gates.get(RequestClass.LISTS).tryEnter();
    }

    /** Gives back a place taken by {@link #tryEnterList()}. */
    public void leaveList() {
        if (enabled) {
            gates.get(RequestClass.LISTS).leave();
        }
    }

    private void refuse(RoutingContext context, String detail, Duration retry) {
        long seconds = Math.max(1, (retry.toMillis() + 999) / 1000);
        var response = context.response().setStatusCode(503)
                .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .putHeader(HttpHeaders.RETRY_AFTER, String.valueOf(seconds));
        try {
            response.end(mapper.writeValueAsString(new Problem("about:blank", "Service Unavailable", 503, detail,
                    context.normalizedPath(), null, null)));
        } catch (JsonProcessingException e) {
            response.end();
        }
    }
}

package io.tastemaker.operations;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The counters an operator reads as rates, sampled every few seconds into a one-minute
 * {@link RateWindow}: events accepted and applied, records each consumer group processed, requests
 * per endpoint, LLM calls. Counters only grow; the rate is their growth over the last minute.
 */
@ApplicationScoped
public class Throughput {

    static final long WINDOW_MILLIS = 60_000;
    static final long SAMPLE_EVERY_MILLIS = 5_000;

    private final MeterRegistry registry;
    private final RateWindow window = new RateWindow(WINDOW_MILLIS);
    private ScheduledExecutorService sampler;

    Throughput(MeterRegistry registry) {
        this.registry = registry;
    }

    void start(@Observes StartupEvent event) {
        sampler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "operations-throughput");
            thread.setDaemon(true);
            return thread;
        });
        sampler.scheduleAtFixedRate(this::sample, 0, SAMPLE_EVERY_MILLIS, TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent event) {
        if (sampler != null) {
            sampler.shutdownNow();
        }
    }

    /** Takes a sample now (the summary does, so its rates end at the moment it is asked). */
    synchronized void sample() {
        window.record(System.currentTimeMillis(), totals());
    }

    RateWindow window() {
        return window;
    }

    /** Keys: {@code events.accepted}, {@code events.applied}, {@code consumer:<group>}, {@code http:<method> <uri>} (and {@code http5xx:} for its 5xx answers), {@code rerank:<result>}. */
    Map<String, Double> totals() {
        Map<String, Double> totals = new HashMap<>();
        for (Meter meter : registry.getMeters()) {
            String name = meter.getId().getName();
            switch (name) {
                case "tastemaker.events.accepted" -> totals.merge("events.accepted", count(meter), Double::sum);
                case "tastemaker.engagement.events" -> totals.merge("events.applied", count(meter), Double::sum);
                case "tastemaker.consumer.batch.size" -> totals.merge("consumer:" + meter.getId().getTag("group"),
                        ((DistributionSummary) meter).totalAmount(), Double::sum);
                case "http.server.requests" -> {
                    String endpoint = meter.getId().getTag("method") + " " + meter.getId().getTag("uri");
                    double count = ((Timer) meter).count();
                    totals.merge("http:" + endpoint, count, Double::sum);
                    if (String.valueOf(meter.getId().getTag("status")).startsWith("5")) {
                        totals.merge("http5xx:" + endpoint, count, Double::sum);
                    }
                }
                case "tastemaker.rerank.calls" -> totals.merge("rerank:" + meter.getId().getTag("result"),
                        (double) ((Timer) meter).count(), Double::sum);
                default -> {
                }
            }
        }
        return totals;
    }

    private static double count(Meter meter) {
        if (meter instanceof Counter counter) {
            return counter.count();
        }
        if (meter instanceof FunctionCounter counter) {
            return counter.count();
        }
        return 0;
    }
}

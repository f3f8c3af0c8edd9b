package io.tastemaker.operations;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.time.Duration;

/**
 * Gives the HTTP server's request timers ({@code http.server.requests}, one per method, URI
 * template, status) a p50 and a p99 over the last minute, computed in the process (Micrometer's
 * rotating ring of 6 buffers of 10 s each, so a value covers the last 50-60 s). No histogram
 * buckets: two more series per timer on {@code /q/metrics} ({@code quantile="0.5"} and {@code "0.99"}).
 */
public class LatencyPercentiles {

    static final Duration EXPIRY = Duration.ofSeconds(60);
    static final int BUFFERS = 6;

    @Produces
    @Singleton
    MeterFilter httpServerPercentiles() {
        return new MeterFilter() {
            @Override
            public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                if (!"http.server.requests".equals(id.getName())) {
                    return config;
                }
                return DistributionStatisticConfig.builder()
                        .percentiles(0.5, 0.99)
                        .expiry(EXPIRY)
                        .bufferLength(BUFFERS)
                        .build()
                        .merge(config);
            }
        };
    }
}

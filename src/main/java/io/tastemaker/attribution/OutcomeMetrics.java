package io.tastemaker.attribution;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Prometheus series of attribution, low in cardinality: per placement and outcome, never per
 * rule or shopper. Placements are the shop's own names; past {@code max-placement-series} distinct
 * ones the rest are reported as {@code other}, so a misbehaving storefront cannot flood the registry.
 */
@ApplicationScoped
class OutcomeMetrics {

    static final String OTHER = "other";

    private final MeterRegistry registry;
    private final int maxPlacements;
    private final Set<String> placements = ConcurrentHashMap.newKeySet();

    OutcomeMetrics(MeterRegistry registry, AttributionConfig config) {
        this.registry = registry;
        this.maxPlacements = config.maxPlacementSeries();
    }

    void served(String placement, long lists) {
        Counter.builder("tastemaker.attribution.served").description("Served lists counted into the aggregates")
                .tag("placement", series(placement)).register(registry).increment(lists);
    }

    void credited(String placement, Outcome outcome) {
        Counter.builder("tastemaker.attribution.outcomes")
                .description("Outcomes credited to a served list, once per list, product and outcome")
                .tag("placement", series(placement)).tag("outcome", outcome.key()).register(registry).increment();
    }

    void unattributed(Outcome outcome, OutcomeStore.Unattributed reason, long events) {
        Counter.builder("tastemaker.attribution.unattributed")
                .description("Outcomes not credited: unknown or expired recommId, or a product the list did not serve")
                .tag("outcome", outcome.key()).tag("reason", reason.key()).register(registry).increment(events);
    }

    void duplicates(long events) {
        Counter.builder("tastemaker.attribution.duplicates")
                .description("Outcomes already credited (a retried or repeated event)").register(registry).increment(events);
    }

    void purged(long lists) {
        Counter.builder("tastemaker.attribution.purged").description("Served lists deleted after the retention")
                .register(registry).increment(lists);
    }

    private String series(String placement) {
        if (placements.contains(placement)) {
            return placement;
        }
        if (placements.size() < maxPlacements) {
            placements.add(placement);
            return placement;
        }
        return OTHER;
    }
}

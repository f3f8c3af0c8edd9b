package io.tastemaker.demo;

import io.tastemaker.catalog.Product;
import io.tastemaker.engagement.EngagementEvent;
import io.tastemaker.engagement.EventType;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class DemoEngagementTest {

    private static final List<Product> CATALOG = DemoCatalog.generate(6000, 42);
    private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");

    @Test
    void demo_shoppers_engage_positively_only_within_their_taste() {
        Map<String, Product> byId = CATALOG.stream().collect(Collectors.toMap(Product::id, Function.identity()));
        List<EngagementEvent> events = DemoEngagement.generate(CATALOG, NOW, 42);

        for (DemoEngagement.Persona persona : DemoEngagement.PERSONAS) {
            List<EngagementEvent> theirs = events.stream().filter(e -> e.userId().equals(persona.userId())).toList();
            assertThat(theirs).hasSizeGreaterThan(20);
            assertThat(theirs).filteredOn(e -> e.type() != EventType.HIDE).allSatisfy(e -> assertThat(persona.categories())
                    .contains(leaf(byId.get(e.productId()))));
            assertThat(theirs).filteredOn(e -> e.type() == EventType.HIDE).allSatisfy(e -> assertThat(persona.categories())
                    .doesNotContain(leaf(byId.get(e.productId()))));
        }
    }

    @Test
    void the_same_catalog_seed_and_clock_give_the_same_events_within_the_last_two_weeks() {
        List<EngagementEvent> events = DemoEngagement.generate(CATALOG, NOW, 42);

        assertThat(DemoEngagement.generate(CATALOG, NOW, 42)).isEqualTo(events);
        assertThat(events).extracting(EngagementEvent::eventId).doesNotHaveDuplicates();
        assertThat(events).allSatisfy(e -> assertThat(e.occurredAt()).isBetween(NOW.minusSeconds(15 * 86400), NOW));
        assertThat(events).extracting(EngagementEvent::productId)
                .allSatisfy(id -> assertThat(id.compareTo(String.format("demo-%05d", DemoEngagement.ENGAGED_PRODUCTS))).isLessThanOrEqualTo(0));
    }

    private static String leaf(Product p) {
        return p.categoryPath().get(2);
    }
}

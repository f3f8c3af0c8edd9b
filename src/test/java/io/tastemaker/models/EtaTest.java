package io.tastemaker.models;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class EtaTest {

    private static final Instant START = Instant.parse("2026-12-06T00:00:00Z");

    @Test
    void what_is_left_at_the_rate_so_far() {
        Eta eta = Eta.of(2400, 6000L, START, START.plusSeconds(60));
        assertThat(eta.perSecond()).isEqualTo(40.0);
        assertThat(eta.seconds()).isEqualTo(90);
    }

    @Test
    void nothing_left_is_zero_seconds() {
        assertThat(Eta.of(6000, 6000L, START, START.plusSeconds(60)).seconds()).isZero();
    }

    @Test
    void unknown_before_the_first_unit_or_without_a_total_or_a_start() {
        assertThat(Eta.of(0, 6000L, START, START.plusSeconds(60))).isEqualTo(Eta.UNKNOWN);
        assertThat(Eta.of(10, null, START, START.plusSeconds(60))).isEqualTo(Eta.UNKNOWN);
        assertThat(Eta.of(10, 6000L, null, START)).isEqualTo(Eta.UNKNOWN);
    }

    @Test
    void a_start_in_the_same_instant_does_not_divide_by_zero() {
        assertThat(Eta.of(10, 20L, START, START).seconds()).isNotNegative();
    }
}

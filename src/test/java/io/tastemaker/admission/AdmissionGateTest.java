package io.tastemaker.admission;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AdmissionGateTest {

    @Test
    void admits_up_to_its_limit_and_refuses_the_excess_until_a_place_is_given_back() {
        AdmissionGate gate = new AdmissionGate(2);
        assertThat(gate.tryEnter()).isTrue();
        assertThat(gate.tryEnter()).isTrue();
        assertThat(gate.tryEnter()).isFalse();
        assertThat(gate.inFlight()).isEqualTo(2);
        gate.leave();
        assertThat(gate.tryEnter()).isTrue();
        assertThat(gate.tryEnter()).isFalse();
    }

    @Test
    void a_limit_below_one_is_refused() {
        assertThatThrownBy(() -> new AdmissionGate(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void lists_and_database_writes_are_told_apart_by_method_and_path() {
        assertThat(RequestClass.of("GET", "/v1/users/u1/feed")).isEqualTo(RequestClass.LISTS);
        assertThat(RequestClass.of("GET", "/v1/products/p1/similar")).isEqualTo(RequestClass.LISTS);
        assertThat(RequestClass.of("GET", "/v1/search")).isEqualTo(RequestClass.LISTS);
        assertThat(RequestClass.of("POST", "/v1/assistant/suggestions")).isEqualTo(RequestClass.LISTS);
        assertThat(RequestClass.of("POST", "/v1/merchandising/preview")).isEqualTo(RequestClass.LISTS);

        assertThat(RequestClass.of("POST", "/v1/merchandising/rules")).isEqualTo(RequestClass.WRITES);
        assertThat(RequestClass.of("PUT", "/v1/merchandising/rules/3")).isEqualTo(RequestClass.WRITES);
        assertThat(RequestClass.of("POST", "/v1/admin/keys")).isEqualTo(RequestClass.WRITES);
        assertThat(RequestClass.of("POST", "/v1/admin/engagement/rebuild")).isEqualTo(RequestClass.WRITES);
        assertThat(RequestClass.of("POST", "/v1/models")).isEqualTo(RequestClass.WRITES);
        assertThat(RequestClass.of("POST", "/v1/models/v2/promote")).isEqualTo(RequestClass.WRITES);
        assertThat(RequestClass.of("DELETE", "/v1/users/u1")).isEqualTo(RequestClass.WRITES);

        // Kafka keeps these while the database is away; reads are not limited here
        assertThat(RequestClass.of("POST", "/v1/events")).isEqualTo(RequestClass.OTHER);
        assertThat(RequestClass.of("PUT", "/v1/catalog/products/p1")).isEqualTo(RequestClass.OTHER);
        assertThat(RequestClass.of("POST", "/v1/catalog/products:import")).isEqualTo(RequestClass.OTHER);
        assertThat(RequestClass.of("GET", "/v1/merchandising/rules")).isEqualTo(RequestClass.OTHER);
        assertThat(RequestClass.of("GET", "/v1/users/u1/profile")).isEqualTo(RequestClass.OTHER);
    }
}

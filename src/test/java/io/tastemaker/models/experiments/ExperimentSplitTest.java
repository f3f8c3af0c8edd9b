package io.tastemaker.models.experiments;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ExperimentSplitTest {

    @Test
    void shoppers_are_spread_evenly_and_each_keeps_their_variant() {
        Split split = new Split(3, 2000, null, Instant.EPOCH);
        int[] deciles = new int[10];
        int treated = 0;
        for (int i = 0; i < 20_000; i++) {
            String user = "user-" + i;
            deciles[Split.bucket(3, user) / 1000]++;
            if (split.variantOf(user) == Variant.TREATMENT) {
                treated++;
            }
            assertThat(split.variantOf(user)).isEqualTo(split.variantOf(new String(user.toCharArray())));
        }
        for (int count : deciles) {
            assertThat(count).isBetween(1800, 2200); // 2,000 expected; 4.7 standard deviations either side
        }
        assertThat(treated).isBetween(3700, 4300);
    }

    @Test
    void a_ramp_up_keeps_every_treated_shopper_in_the_treatment_and_a_new_experiment_reshuffles() {
        Split split = new Split(3, 1000, null, Instant.EPOCH);
        java.util.List<String> treated = new java.util.ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            if (split.variantOf("u" + i) == Variant.TREATMENT) {
                treated.add("u" + i);
            }
        }
        split.rampTo(2500);
        assertThat(treated).isNotEmpty().allMatch(u -> split.variantOf(u) == Variant.TREATMENT);

        Split next = new Split(4, 1000, null, Instant.EPOCH);
        long stillTreated = treated.stream().filter(u -> next.variantOf(u) == Variant.TREATMENT).count();
        assertThat(stillTreated).isLessThan(treated.size() / 4); // ~10 % by chance, not carried over
        assertThatThrownBy(() -> split.rampTo(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void lists_served_are_counted_per_variant_until_drained() {
        Split split = new Split(3, 5000, null, Instant.EPOCH);
        split.served(Variant.TREATMENT, 10);
        split.served(Variant.TREATMENT, 4);
        split.served(Variant.CONTROL, 10);
        assertThat(split.drainServed(Variant.TREATMENT)).containsExactly(2, 14);
        assertThat(split.drainServed(Variant.TREATMENT)).containsExactly(0, 0);
        split.undrain(Variant.CONTROL, new long[]{1, 5});
        assertThat(split.drainServed(Variant.CONTROL)).containsExactly(2, 15);
    }
}

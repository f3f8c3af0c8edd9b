package io.tastemaker.models.experiments;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ExperimentReportTest {

    private static final Experiment EXPERIMENT = new Experiment(7, "base", "tuned", 50, "ds", Instant.EPOCH, Instant.EPOCH,
            null, null);

    @Test
    void a_clear_difference_in_click_through_is_significant_and_its_lift_is_reported() {
        ExperimentReport report = ExperimentReport.of(EXPERIMENT, Map.of(
                Variant.CONTROL, new ExperimentStore.Tally(1000, 20_000, Map.of("click", 400L, "pin", 30L)),
                Variant.TREATMENT, new ExperimentStore.Tally(1000, 20_000, Map.of("click", 520L))));

        assertThat(report.control().clickThroughRate()).isEqualTo(0.02);
        assertThat(report.treatment().clickThroughRate()).isEqualTo(0.026);
        assertThat(report.clickThrough().relativeLift()).isCloseTo(0.30, within(1e-9));
        // pooled p = 0.023, se = sqrt(0.023 * 0.977 * 2 / 20000) = 0.0014990; z = 0.006 / se
        assertThat(report.clickThrough().zScore()).isCloseTo(4.0026, within(1e-3));
        assertThat(report.clickThrough().pValue()).isLessThan(0.001);
        assertThat(report.clickThrough().verdict()).contains("higher");
    }

    @Test
    void a_small_difference_is_not_called_and_too_little_traffic_is_not_judged() {
        ExperimentReport close = ExperimentReport.of(EXPERIMENT, Map.of(
                Variant.CONTROL, new ExperimentStore.Tally(100, 5_000, Map.of("click", 100L)),
                Variant.TREATMENT, new ExperimentStore.Tally(100, 5_000, Map.of("click", 104L))));
        assertThat(close.clickThrough().pValue()).isGreaterThan(0.5);
        assertThat(close.clickThrough().verdict()).startsWith("no significant difference");

        ExperimentReport early = ExperimentReport.of(EXPERIMENT, Map.of(
                Variant.CONTROL, new ExperimentStore.Tally(10, 200, Map.of("click", 10L)),
                Variant.TREATMENT, new ExperimentStore.Tally(10, 200, Map.of())));
        assertThat(early.clickThrough().pValue()).isNull();
        assertThat(early.clickThrough().verdict()).contains("not enough traffic");
        assertThat(early.treatment().clickThroughRate()).isZero();
    }

    @Test
    void the_normal_distribution_function_matches_known_values() {
        assertThat(ExperimentReport.standardNormalCdf(0)).isCloseTo(0.5, within(1e-7));
        assertThat(ExperimentReport.standardNormalCdf(1.959964)).isCloseTo(0.975, within(1e-6));
        assertThat(ExperimentReport.standardNormalCdf(-1)).isCloseTo(0.158655, within(1e-6));
    }
}

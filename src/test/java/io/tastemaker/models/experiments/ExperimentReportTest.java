package io.tastemaker.models.experiments;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ExperimentReportTest {

    private static final Experiment EXPERIMENT = new Experiment(7, "base", "tuned", 50, "ds", Instant.EPOCH, Instant.EPOCH,
            null, null);
    private static final Map<Variant, ExperimentStore.Tally> TALLIES = Map.of(
            Variant.CONTROL, new ExperimentStore.Tally(1000, 20_000, Map.of("click", 400L, "pin", 30L)),
            Variant.TREATMENT, new ExperimentStore.Tally(1000, 20_000, Map.of("click", 520L)));

    /**
     * 100 shoppers a variant, 10 impressions each. Control: half click nothing, half click 2 (and
     * buy once for 20); treatment: half click 1, half click 5 (and buy once for 20). Click-through
     * 0.1 against 0.3; conversion, revenue and lists per shopper the same in both.
     */
    private static final Map<Variant, List<ShopperOutcome>> OUTCOMES = Map.of(
            Variant.CONTROL, shoppers("c", 0, 2),
            Variant.TREATMENT, shoppers("t", 1, 5));

    @Test
    void a_clear_difference_in_click_through_is_judged_with_shopper_level_variances_computed_by_hand() {
        ExperimentReport report = ExperimentReport.of(EXPERIMENT, TALLIES, OUTCOMES);
        ExperimentReport.Comparison ctr = report.comparisons().get("clickThrough");

        // control: residuals y − 0.1·x are ±1, Var = 100 / (100 · 99 · 10²); treatment: ±2, Var = 400 / (100 · 99 · 10²)
        // V = 5.0505e-4; k = 200 · φ² = 0.158723; ln Λ = 0.04 / V / 2 · k / (1 + k) − ln(1 + k) / 2
        assertThat(ctr.difference().value()).isCloseTo(0.2, within(1e-12));
        assertThat(ctr.pValue()).isCloseTo(0.0047444, within(1e-6));
        // half width √(V · (1 + k) / k · (2 ln 20 + ln(1 + k))) = 0.1504452
        assertThat(ctr.difference().low()).isCloseTo(0.0495548, within(1e-6));
        assertThat(ctr.difference().high()).isCloseTo(0.3504452, within(1e-6));
        // lift 0.3 / 0.1 − 1 = 2; Fieller's bounds for the ratio, minus 1
        assertThat(ctr.relativeLift().value()).isCloseTo(2.0, within(1e-12));
        assertThat(ctr.relativeLift().low()).isCloseTo(0.369239, within(1e-5));
        assertThat(ctr.relativeLift().high()).isCloseTo(8.593172, within(1e-5));
        assertThat(ctr.verdict()).startsWith("the treatment's click-through is higher than the control's: +200.0 %")
                .contains("you may stop");

        ExperimentReport.Comparison conversion = report.comparisons().get("conversion");
        assertThat(conversion.difference().value()).isZero();
        assertThat(conversion.pValue()).isEqualTo(1.0);
        assertThat(conversion.verdict()).startsWith("no difference in conversion shown yet (always-valid p = 1.00");
        assertThat(report.comparisons()).containsOnlyKeys("clickThrough", "conversion", "revenuePerShopper", "listsPerShopper");
    }

    @Test
    void each_variant_shows_its_metrics_with_always_valid_intervals_and_its_counts() {
        ExperimentReport report = ExperimentReport.of(EXPERIMENT, TALLIES, OUTCOMES);

        ExperimentReport.VariantResult control = report.control();
        assertThat(control.version()).isEqualTo("base");
        assertThat(control.shoppers()).isEqualTo(100);
        assertThat(control.lists()).isEqualTo(1000);
        assertThat(control.events()).containsEntry("pin", 30L);
        // click-through 0.1 ± √(1.0101e-4 · (1 + k) / k · (2 ln 20 + ln(1 + k))), k = 100 · φ²
        assertThat(control.metrics().get("clickThrough").value()).isCloseTo(0.1, within(1e-12));
        assertThat(control.metrics().get("clickThrough").low()).isCloseTo(0.0086986, within(1e-6));
        assertThat(control.metrics().get("clickThrough").high()).isCloseTo(0.1913014, within(1e-6));
        assertThat(control.metrics().get("conversion").value()).isCloseTo(0.05, within(1e-12));
        assertThat(control.metrics().get("revenuePerShopper").value()).isCloseTo(10, within(1e-12));
        assertThat(control.metrics().get("listsPerShopper").value()).isCloseTo(2, within(1e-12));
        assertThat(report.treatment().metrics().get("clickThrough").value()).isCloseTo(0.3, within(1e-12));
        assertThat(report.method()).contains("shopper is the unit").contains("always-valid");
    }

    @Test
    void the_treatment_doing_worse_reads_lower() {
        ExperimentReport report = ExperimentReport.of(EXPERIMENT, TALLIES, Map.of(
                Variant.CONTROL, OUTCOMES.get(Variant.TREATMENT), Variant.TREATMENT, OUTCOMES.get(Variant.CONTROL)));

        assertThat(report.comparisons().get("clickThrough").verdict())
                .startsWith("the treatment's click-through is lower than the control's: -66.7 %");
        assertThat(report.comparisons().get("clickThrough").relativeLift().high()).isLessThan(0);
    }

    @Test
    void below_the_minimum_of_shoppers_nothing_is_judged_and_no_interval_is_drawn() {
        ExperimentReport report = ExperimentReport.of(EXPERIMENT, TALLIES, Map.of(
                Variant.CONTROL, OUTCOMES.get(Variant.CONTROL).subList(1, 100), Variant.TREATMENT, OUTCOMES.get(Variant.TREATMENT)));

        ExperimentReport.Comparison ctr = report.comparisons().get("clickThrough");
        assertThat(ctr.pValue()).isNull();
        assertThat(ctr.difference()).isNull();
        assertThat(ctr.verdict()).isEqualTo("not enough shoppers to judge yet (99 in the control, 100 in the treatment; "
                + "100 a variant needed)");
        ExperimentReport.Estimate early = report.control().metrics().get("clickThrough");
        assertThat(early.value()).isCloseTo(100.0 / 990, within(1e-12));
        assertThat(early.low()).isNull();
        assertThat(report.treatment().metrics().get("clickThrough").low()).isNotNull();
    }

    @Test
    void without_impressions_click_through_is_undefined_and_not_judged_while_lists_per_shopper_are() {
        List<ShopperOutcome> unseen = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            unseen.add(new ShopperOutcome("u" + i, 1 + i % 2, 0, 0, 0, 0, 0));
        }
        ExperimentReport report = ExperimentReport.of(EXPERIMENT, TALLIES, Map.of(
                Variant.CONTROL, unseen, Variant.TREATMENT, OUTCOMES.get(Variant.TREATMENT)));

        assertThat(report.control().metrics().get("clickThrough").value()).isNull();
        assertThat(report.comparisons().get("clickThrough").verdict()).isEqualTo("no impressions in the control yet");
        assertThat(report.comparisons().get("listsPerShopper").pValue()).isNotNull();
    }

    @Test
    void without_per_shopper_outcomes_the_report_shows_counts_and_judges_nothing() {
        ExperimentReport report = ExperimentReport.withoutShopperOutcomes(EXPERIMENT, TALLIES);

        assertThat(report.control().items()).isEqualTo(20_000);
        assertThat(report.treatment().events()).containsEntry("click", 520L);
        assertThat(report.control().shoppers()).isNull();
        assertThat(report.control().metrics()).isEmpty();
        assertThat(report.comparisons().values()).allSatisfy(c -> {
            assertThat(c.pValue()).isNull();
            assertThat(c.verdict()).startsWith("not judged: per-shopper outcomes are not recorded");
        });
    }

    private static List<ShopperOutcome> shoppers(String prefix, long lowClicks, long highClicks) {
        List<ShopperOutcome> shoppers = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            boolean high = i >= 50;
            shoppers.add(new ShopperOutcome(prefix + i, high ? 3 : 1, 10, high ? highClicks : lowClicks, high ? 1 : 0,
                    high ? 1 : 0, high ? 20 : 0));
        }
        return shoppers;
    }
}

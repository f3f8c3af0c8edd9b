package io.tastemaker.models.experiments;

import org.junit.jupiter.api.Test;

import java.util.Locale;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The A/B report's statistics against simulated shoppers (seeded, so every run sees the same
 * numbers): shoppers differ in how much they see (a heavy tail) and in how likely they are to
 * click (logit-normal around 5 %), so one shopper's impressions are clustered trials, as in a shop.
 * Each test shows the report's test next to the one it replaces.
 */
class ExperimentStatisticsSimulationTest {

    private static final double Z_95 = 1.959964;

    @Test
    void in_an_a_a_test_of_clustered_shoppers_the_shopper_level_test_keeps_five_percent_and_the_item_level_one_does_not() {
        SplittableRandom rng = new SplittableRandom(18);
        int runs = 2000;
        int clustered = 0;
        int itemLevel = 0;
        int alwaysValid = 0;
        for (int run = 0; run < runs; run++) {
            ClusteredRatio control = new ClusteredRatio();
            ClusteredRatio treatment = new ClusteredRatio();
            for (int i = 0; i < 200; i++) {
                addShopper(rng, control, 1);
                addShopper(rng, treatment, 1);
            }
            clustered += clusteredFixedHorizonRejects(control, treatment) ? 1 : 0;
            itemLevel += itemLevelRejects(control, treatment) ? 1 : 0;
            alwaysValid += alwaysValidRejects(control, treatment) ? 1 : 0;
        }
        report("A/A, one look at 200 shoppers a variant", runs, clustered, itemLevel, alwaysValid);

        // 2,000 runs: the simulation error of a 5 % rate is 0.5 points
        assertThat(rate(clustered, runs)).as("shopper-level z-test, one look").isCloseTo(0.05, within(0.015));
        assertThat(rate(itemLevel, runs)).as("item-level z-test, one look").isGreaterThan(0.25);
        assertThat(rate(alwaysValid, runs)).as("always-valid test, one look").isLessThanOrEqualTo(0.05);
    }

    @Test
    void peeking_every_fifty_shoppers_through_an_a_a_test_keeps_the_always_valid_test_below_alpha_and_not_the_fixed_one() {
        SplittableRandom rng = new SplittableRandom(1818);
        int runs = 1000;
        int alwaysValid = 0;
        int fixedHorizon = 0;
        for (int run = 0; run < runs; run++) {
            Peeked result = peek(rng, 2000, 1);
            alwaysValid += result.alwaysValidSign() != 0 ? 1 : 0;
            fixedHorizon += result.fixedHorizonEverRejected() ? 1 : 0;
        }
        System.out.printf(Locale.ROOT, "A/A peeked every 50 of 2,000 shoppers, %d runs: stopped on a false positive: "
                + "always-valid %.1f %%, fixed-horizon shopper-level z-test %.1f %%%n", runs,
                100 * rate(alwaysValid, runs), 100 * rate(fixedHorizon, runs));

        // 1,000 runs: the simulation error of a 5 % rate is 0.7 points
        assertThat(rate(alwaysValid, runs)).as("always-valid, peeked").isLessThanOrEqualTo(0.05 + 0.014);
        assertThat(rate(fixedHorizon, runs)).as("fixed-horizon, peeked").isGreaterThan(0.10);
    }

    @Test
    void a_real_lift_of_a_quarter_is_found_in_the_right_direction_and_covered_by_the_interval() {
        SplittableRandom rng = new SplittableRandom(181818);
        int runs = 200;
        int higher = 0;
        int lower = 0;
        int covered = 0;
        for (int run = 0; run < runs; run++) {
            Peeked result = peek(rng, 6000, 1.25);
            higher += result.alwaysValidSign() > 0 ? 1 : 0;
            lower += result.alwaysValidSign() < 0 ? 1 : 0;
            ExperimentReport.Estimate lift = ExperimentReport.compare(ExperimentMetric.CLICK_THROUGH, result.control(),
                    result.treatment()).relativeLift();
            covered += lift.low() != null && lift.low() <= 0.25 && 0.25 <= lift.high() ? 1 : 0;
        }
        System.out.printf(Locale.ROOT, "lift +25 %%, peeked every 50 of up to 6,000 shoppers, %d runs: higher %.1f %%, "
                + "lower %.1f %%, final lift interval covers +25 %%: %.1f %%%n", runs, 100 * rate(higher, runs),
                100 * rate(lower, runs), 100 * rate(covered, runs));

        assertThat(rate(higher, runs)).isGreaterThan(0.8);
        assertThat(lower).isZero();
        assertThat(rate(covered, runs)).isGreaterThanOrEqualTo(0.93);
    }

    @Test
    void the_report_of_a_simulated_experiment_reads_the_lift_in_words() {
        SplittableRandom rng = new SplittableRandom(7);
        java.util.List<ShopperOutcome> control = new java.util.ArrayList<>();
        java.util.List<ShopperOutcome> treatment = new java.util.ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            control.add(shopper(rng, "c" + i, 1));
            treatment.add(shopper(rng, "t" + i, 1.3));
        }
        ExperimentReport report = ExperimentReport.of(new Experiment(1, "base", "tuned", 50, "ds", java.time.Instant.EPOCH,
                java.time.Instant.EPOCH, null, null), java.util.Map.of(), java.util.Map.of(Variant.CONTROL, control,
                Variant.TREATMENT, treatment));

        assertThat(report.comparisons().get("clickThrough").verdict()).startsWith("the treatment's click-through is higher");
        assertThat(report.comparisons().get("listsPerShopper").verdict()).startsWith("no difference in lists per shopper");
        assertThat(report.control().shoppers()).isEqualTo(3000);
    }

    /** Whether a run stopped on the always-valid test (and which way), whether a fixed-horizon test ever fired, and the final totals. */
    private record Peeked(int alwaysValidSign, boolean fixedHorizonEverRejected, ClusteredRatio control,
                          ClusteredRatio treatment) {
    }

    /** Shoppers arrive one by one, each treated by a coin flip; the report is read every 50 shoppers. */
    private static Peeked peek(SplittableRandom rng, int shoppers, double treatmentFactor) {
        ClusteredRatio control = new ClusteredRatio();
        ClusteredRatio treatment = new ClusteredRatio();
        int sign = 0;
        boolean fixedRejected = false;
        for (int i = 1; i <= shoppers; i++) {
            boolean treated = rng.nextBoolean();
            addShopper(rng, treated ? treatment : control, treated ? treatmentFactor : 1);
            if (i % 50 != 0 || control.shoppers() < ExperimentReport.MIN_SHOPPERS
                    || treatment.shoppers() < ExperimentReport.MIN_SHOPPERS) {
                continue;
            }
            fixedRejected |= clusteredFixedHorizonRejects(control, treatment);
            if (sign == 0 && alwaysValidRejects(control, treatment)) {
                sign = treatment.ratio() > control.ratio() ? 1 : -1; // where a data scientist would stop
            }
        }
        return new Peeked(sign, fixedRejected, control, treatment);
    }

    private static boolean alwaysValidRejects(ClusteredRatio control, ClusteredRatio treatment) {
        Double p = ExperimentReport.pValue(ExperimentMetric.CLICK_THROUGH, control, treatment);
        return p != null && p <= ExperimentReport.ALPHA;
    }

    /** The textbook z-test on the delta-method variance, read once: valid for a single look only. */
    private static boolean clusteredFixedHorizonRejects(ClusteredRatio control, ClusteredRatio treatment) {
        double z = (treatment.ratio() - control.ratio()) / Math.sqrt(control.variance() + treatment.variance());
        return Math.abs(z) > Z_95;
    }

    /** The two-proportion z-test on items the report used before: every impression an independent trial. */
    private static boolean itemLevelRejects(ClusteredRatio control, ClusteredRatio treatment) {
        double clicksC = control.ratio() * control.denominator();
        double clicksT = treatment.ratio() * treatment.denominator();
        double pooled = (clicksC + clicksT) / (control.denominator() + treatment.denominator());
        double se = Math.sqrt(pooled * (1 - pooled) * (1 / control.denominator() + 1 / treatment.denominator()));
        return Math.abs(treatment.ratio() - control.ratio()) / se > Z_95;
    }

    private static void addShopper(SplittableRandom rng, ClusteredRatio ratio, double ctrFactor) {
        ShopperOutcome shopper = shopper(rng, "s", ctrFactor);
        ratio.add(shopper.impressions(), shopper.clicks());
    }

    /** A shopper who sees 1 + e^(2.5 + Z) items (median 13, some hundreds) and clicks each with their own rate around 5 %. */
    private static ShopperOutcome shopper(SplittableRandom rng, String id, double ctrFactor) {
        int impressions = 1 + (int) Math.min(300, Math.exp(2.5 + rng.nextGaussian()));
        double ctr = Math.min(1, ctrFactor / (1 + Math.exp(3 - 1.2 * rng.nextGaussian())));
        return new ShopperOutcome(id, 1 + impressions / 10, impressions, binomial(rng, impressions, ctr), 0, 0, 0);
    }

    /** Successes in n trials of rate p, jumping from one success to the next (geometric gaps): fast for small p. */
    private static int binomial(SplittableRandom rng, int n, double p) {
        if (p >= 1) {
            return n;
        }
        double logFailure = Math.log1p(-p);
        int successes = 0;
        long position = 0;
        while (true) {
            position += 1 + (long) (Math.log(1 - rng.nextDouble()) / logFailure);
            if (position > n) {
                return successes;
            }
            successes++;
        }
    }

    private static void report(String what, int runs, int clustered, int itemLevel, int alwaysValid) {
        System.out.printf(Locale.ROOT, "%s, %d runs: false positives: shopper-level z-test %.1f %%, item-level z-test "
                + "%.1f %%, always-valid %.1f %%%n", what, runs, 100 * rate(clustered, runs), 100 * rate(itemLevel, runs),
                100 * rate(alwaysValid, runs));
    }

    private static double rate(int count, int runs) {
        return (double) count / runs;
    }
}

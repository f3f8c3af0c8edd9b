package io.tastemaker.models.experiments;

import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An experiment's results with the shopper as the unit: what each variant was served and did,
 * and for each {@link ExperimentMetric} whether the treatment differs from the control by more
 * than chance, in a way that stays honest however often the report is read.
 *
 * <ul>
 *   <li><b>Unit.</b> Shoppers are randomised (a hash of the user id), so each shopper's totals
 *   ({@link ShopperOutcome}) are one observation; click-through and conversion are ratios of sums
 *   over shoppers with a delta-method variance ({@link ClusteredRatio}), valid however strongly
 *   one shopper's clicks hang together. An item-level two-proportion z-test, which the report
 *   used before, treats every item shown as an independent trial and overstates certainty by the
 *   design effect 1 + (m − 1)ρ; {@code ExperimentStatisticsSimulationTest} shows it calling
 *   most A/A tests of heavy shoppers significant.</li>
 *   <li><b>Peeking.</b> The difference treatment − control is tested with an always-valid
 *   mixture SPRT ({@link MixtureSprt}): p-values and 95 % intervals hold at every look at once,
 *   so stopping the first time a verdict says "higher" or "lower" keeps false positives at 5 %.</li>
 *   <li><b>Lift.</b> The relative lift's interval is Fieller's for the ratio of the two
 *   variants' values under the same test, so it excludes 0 exactly when the difference's does.</li>
 *   <li><b>Minimum sample.</b> Below {@value #MIN_SHOPPERS} shoppers in a variant nothing is
 *   judged and no interval is drawn: the normal approximation needs them.</li>
 * </ul>
 * Without per-shopper outcomes (no {@link ShopperOutcomes} on this deployment) the report shows
 * the variants' counts and judges nothing.
 */
public record ExperimentReport(Experiment experiment, String method, VariantResult control, VariantResult treatment,
                               Map<String, Comparison> comparisons) {

    static final int MIN_SHOPPERS = 100;
    static final double ALPHA = 0.05;
    /** Where the always-valid intervals are about narrowest; earlier and later looks pay a little width. */
    static final long PLANNED_SHOPPERS = 10_000;
    static final MixtureSprt TEST = MixtureSprt.tightestAt(ALPHA, PLANNED_SHOPPERS);

    static final String METHOD = String.format(Locale.ROOT, "the shopper is the unit: each shopper's totals are one "
            + "observation, ratios by the delta method over them; always-valid mixture SPRT at alpha %.2f (intervals "
            + "narrowest near %d shoppers; at least %d a variant to judge): read it as often as you like and stop when "
            + "a verdict says higher or lower", ALPHA, PLANNED_SHOPPERS, MIN_SHOPPERS);
    static final String WITHOUT_OUTCOMES = "not judged: per-shopper outcomes are not recorded on this deployment, and "
            + "counts of items treat the items one shopper saw as independent trials, which overstates certainty";
    private static final ExperimentStore.Tally NOTHING = new ExperimentStore.Tally(0, 0, Map.of());

    /**
     * What a variant was served and did. {@code lists}, {@code items} and {@code events} count
     * everything served to its shoppers and every event of theirs since the start, attributed or
     * not; {@code shoppers} and {@code metrics} come from the per-shopper outcomes (what the lists
     * served under the variant earned) and are null and empty without them.
     */
    public record VariantResult(String version, long lists, long items, Map<String, Long> events, Long shoppers,
                                Map<String, Estimate> metrics) {
    }

    /** A value with its always-valid 95 % interval; null bounds below the minimum sample, a null value when undefined. */
    public record Estimate(Double value, Double low, Double high) {

        static final Estimate UNDEFINED = new Estimate(null, null, null);
    }

    /**
     * Treatment against control on one metric: the difference and the relative lift with their
     * always-valid intervals, the always-valid p-value and what it means in words.
     */
    public record Comparison(Estimate difference, Estimate relativeLift, Double pValue, String verdict) {

        static Comparison notJudged(String why) {
            return new Comparison(null, null, null, why);
        }
    }

    static ExperimentReport of(Experiment experiment, Map<Variant, ExperimentStore.Tally> tallies,
                               Map<Variant, List<ShopperOutcome>> outcomes) {
        Map<ExperimentMetric, ClusteredRatio> control = ratios(outcomes.getOrDefault(Variant.CONTROL, List.of()));
        Map<ExperimentMetric, ClusteredRatio> treatment = ratios(outcomes.getOrDefault(Variant.TREATMENT, List.of()));
        Map<String, Comparison> comparisons = new LinkedHashMap<>();
        for (ExperimentMetric metric : ExperimentMetric.values()) {
            comparisons.put(metric.jsonName(), compare(metric, control.get(metric), treatment.get(metric)));
        }
        return new ExperimentReport(experiment, METHOD,
                variant(experiment.control(), tallies.getOrDefault(Variant.CONTROL, NOTHING), control),
                variant(experiment.treatment(), tallies.getOrDefault(Variant.TREATMENT, NOTHING), treatment),
                Collections.unmodifiableMap(comparisons));
    }

    /** The variants' counts only, nothing judged: for a deployment without per-shopper outcomes. */
    static ExperimentReport withoutShopperOutcomes(Experiment experiment, Map<Variant, ExperimentStore.Tally> tallies) {
        Map<String, Comparison> comparisons = new LinkedHashMap<>();
        for (ExperimentMetric metric : ExperimentMetric.values()) {
            comparisons.put(metric.jsonName(), Comparison.notJudged(WITHOUT_OUTCOMES));
        }
        return new ExperimentReport(experiment, WITHOUT_OUTCOMES,
                variant(experiment.control(), tallies.getOrDefault(Variant.CONTROL, NOTHING), null),
                variant(experiment.treatment(), tallies.getOrDefault(Variant.TREATMENT, NOTHING), null),
                Collections.unmodifiableMap(comparisons));
    }

    private static Map<ExperimentMetric, ClusteredRatio> ratios(List<ShopperOutcome> shoppers) {
        Map<ExperimentMetric, ClusteredRatio> ratios = new EnumMap<>(ExperimentMetric.class);
        for (ExperimentMetric metric : ExperimentMetric.values()) {
            ratios.put(metric, metric.over(shoppers));
        }
        return ratios;
    }

    private static VariantResult variant(String version, ExperimentStore.Tally tally, Map<ExperimentMetric, ClusteredRatio> ratios) {
        if (ratios == null) {
            return new VariantResult(version, tally.lists(), tally.items(), tally.events(), null, Map.of());
        }
        Map<String, Estimate> metrics = new LinkedHashMap<>();
        ratios.forEach((metric, ratio) -> metrics.put(metric.jsonName(), estimate(ratio)));
        return new VariantResult(version, tally.lists(), tally.items(), tally.events(),
                ratios.get(ExperimentMetric.LISTS_PER_SHOPPER).shoppers(), Collections.unmodifiableMap(metrics));
    }

    /** A variant's metric with its always-valid interval (every metric is non-negative, so is the interval). */
    private static Estimate estimate(ClusteredRatio ratio) {
        double value = ratio.ratio();
        if (Double.isNaN(value)) {
            return Estimate.UNDEFINED;
        }
        if (ratio.shoppers() < MIN_SHOPPERS) {
            return new Estimate(value, null, null);
        }
        double half = TEST.halfWidth(ratio.variance(), ratio.shoppers());
        return new Estimate(value, Math.max(0, value - half), value + half);
    }

    static Comparison compare(ExperimentMetric metric, ClusteredRatio control, ClusteredRatio treatment) {
        String notJudged = whyNotJudged(metric, control, treatment);
        if (notJudged != null) {
            return Comparison.notJudged(notJudged);
        }
        double rc = control.ratio();
        double rt = treatment.ratio();
        long shoppers = control.shoppers() + treatment.shoppers();
        double difference = rt - rc;
        double half = TEST.halfWidth(control.variance() + treatment.variance(), shoppers);
        Estimate lift = null;
        if (rc > 0) {
            double[] ratio = TEST.ratioBounds(rt, treatment.variance(), rc, control.variance(), shoppers);
            lift = ratio == null ? new Estimate(rt / rc - 1, null, null)
                    : new Estimate(rt / rc - 1, ratio[0] - 1, ratio[1] - 1);
        }
        double p = pValue(metric, control, treatment);
        Estimate differenceEstimate = new Estimate(difference, difference - half, difference + half);
        return new Comparison(differenceEstimate, lift, p, verdict(metric, differenceEstimate, lift, p));
    }

    /** The always-valid p-value of treatment − control on {@code metric}; null where {@link #compare} does not judge. */
    static Double pValue(ExperimentMetric metric, ClusteredRatio control, ClusteredRatio treatment) {
        if (whyNotJudged(metric, control, treatment) != null) {
            return null;
        }
        return TEST.pValue(treatment.ratio() - control.ratio(), control.variance() + treatment.variance(),
                control.shoppers() + treatment.shoppers());
    }

    private static String whyNotJudged(ExperimentMetric metric, ClusteredRatio control, ClusteredRatio treatment) {
        if (control.shoppers() < MIN_SHOPPERS || treatment.shoppers() < MIN_SHOPPERS) {
            return String.format(Locale.ROOT, "not enough shoppers to judge yet (%d in the control, %d in the treatment; "
                    + "%d a variant needed)", control.shoppers(), treatment.shoppers(), MIN_SHOPPERS);
        }
        if (control.denominator() == 0 || treatment.denominator() == 0) {
            return "no impressions in the " + (control.denominator() == 0 ? "control" : "treatment") + " yet";
        }
        if (!(control.variance() + treatment.variance() > 0)) {
            return "no variation between shoppers yet: nothing to judge " + metric.words() + " by";
        }
        return null;
    }

    private static String verdict(ExperimentMetric metric, Estimate difference, Estimate lift, double p) {
        String range = lift != null && lift.low() != null
                ? String.format(Locale.ROOT, "lift %s to %s", percent(lift.low()), percent(lift.high()))
                : String.format(Locale.ROOT, "difference %+.4g to %+.4g", difference.low(), difference.high());
        if (p <= ALPHA) {
            String size = lift != null ? percent(lift.value()) : String.format(Locale.ROOT, "%+.4g", difference.value());
            return String.format(Locale.ROOT, "the treatment's %s is %s than the control's: %s (always-valid 95 %% "
                            + "interval: %s; p = %.4f); this holds however often the report was read, you may stop",
                    metric.words(), difference.value() > 0 ? "higher" : "lower", size, range, p);
        }
        return String.format(Locale.ROOT, "no difference in %s shown yet (always-valid p = %.2f; %s): keep it running, "
                + "or stop if no effect in that range is worth having", metric.words(), p, range);
    }

    private static String percent(double fraction) {
        return String.format(Locale.ROOT, "%+.1f %%", 100 * fraction);
    }
}

package io.tastemaker.models.experiments;


import java.util.Locale;
import java.util.Map;

/**
 * An experiment's results: what each variant was served and what its shoppers did, and whether
 * the treatment's click-through (clicks per item shown) differs from the control's by more than
 * chance (two-proportion z-test). Items shown to one shopper are not independent trials, so the
 * p-value is optimistic for shoppers who see many lists; it is a guide, not a verdict.
 */
public record ExperimentReport(Experiment experiment, VariantResult control, VariantResult treatment,
                               ClickThrough clickThrough) {

    /** Below this many items shown per variant the report does not judge. */
    static final long MIN_ITEMS = 1_000;
    static final double SIGNIFICANCE = 0.05;

    public record VariantResult(String version, long lists, long items, Map<String, Long> events, double clickThroughRate) {
    }

    /** Treatment against control: relative lift of click-through, z, two-sided p, and what it means. */
    public record ClickThrough(Double relativeLift, Double zScore, Double pValue, String verdict) {
    }

    static ExperimentReport of(Experiment experiment, Map<Variant, ExperimentStore.Tally> tallies) {
        VariantResult control = result(experiment.control(), tallies.get(Variant.CONTROL));
        VariantResult treatment = result(experiment.treatment(), tallies.get(Variant.TREATMENT));
        return new ExperimentReport(experiment, control, treatment, compare(control, treatment));
    }

    private static VariantResult result(String version, ExperimentStore.Tally tally) {
        long clicks = tally.events().getOrDefault("click", 0L);
        return new VariantResult(version, tally.lists(), tally.items(), tally.events(),
                tally.items() == 0 ? 0 : (double) clicks / tally.items());
    }

    static ClickThrough compare(VariantResult control, VariantResult treatment) {
        if (control.items() < MIN_ITEMS || treatment.items() < MIN_ITEMS) {
            return new ClickThrough(null, null, null, String.format(Locale.ROOT,
                    "not enough traffic to judge yet (%d and %d items shown; %d per variant needed)",
                    control.items(), treatment.items(), MIN_ITEMS));
        }
        double pc = control.clickThroughRate();
        double pt = treatment.clickThroughRate();
        double pooled = (pc * control.items() + pt * treatment.items()) / (control.items() + treatment.items());
        double se = Math.sqrt(pooled * (1 - pooled) * (1.0 / control.items() + 1.0 / treatment.items()));
        Double lift = pc == 0 ? null : (pt - pc) / pc;
        if (se == 0) {
            return new ClickThrough(lift, null, null, "no clicks in either variant yet");
        }
        double z = (pt - pc) / se;
        double p = 2 * (1 - standardNormalCdf(Math.abs(z)));
        String verdict = p < SIGNIFICANCE
                ? String.format(Locale.ROOT, "the treatment's click-through is %s than the control's (p = %.4f)",
                pt > pc ? "higher" : "lower", p)
                : String.format(Locale.ROOT, "no significant difference in click-through yet (p = %.2f)", p);
        return new ClickThrough(lift, z, p, verdict);
    }

    /** Φ(x) by Abramowitz and Stegun 7.1.26 (error below 1.5e-7), enough for a p-value. */
    static double standardNormalCdf(double x) {
        double t = 1 / (1 + 0.3275911 * Math.abs(x) / Math.sqrt(2));
        double poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
        double erf = 1 - poly * Math.exp(-x * x / 2);
        return x >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
    }
}

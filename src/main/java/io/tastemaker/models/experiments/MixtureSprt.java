package io.tastemaker.models.experiments;

/**
 * An always-valid test of "the effect is zero" for an estimate that is approximately normal,
 * read as often as one likes: Robbins' normal-mixture sequential probability ratio test (the
 * mSPRT of Johari, Koomen, Pekelis and Walsh, "Peeking at A/B tests", KDD 2017), in the
 * asymptotic form of Waudby-Smith, Arbour, Sinha, Kennedy and Ramdas ("Time-uniform central limit
 * theory and asymptotic confidence sequences", Annals of Statistics 2024), where the variance is
 * estimated from the data.
 *
 * <p>With estimate θ̂ after n units, its variance V and z² = θ̂²/V, the likelihood ratio of
 * "θ ~ N(0, τ²)" against "θ = 0" is
 * <pre>
 *   Λ = exp(z²/2 · k/(1 + k)) / √(1 + k),   k = n·φ²,
 * </pre>
 * the mixing variance being τ² = φ²·σ² with σ² = n·V, the variance one unit adds. Under no
 * effect Λ is (asymptotically) a non-negative martingale with mean 1, so by Ville's inequality
 * the chance that it <em>ever</em> reaches 1/α is at most α: p = min(1, 1/Λ) is an always-valid
 * p-value, and θ̂ ± √(V·(1 + k)/k · (2 ln(1/α) + ln(1 + k))) a confidence sequence that holds at
 * every look at once. Stopping the first time p ≤ α keeps the false-positive rate at most α
 * however often one looks; no running minimum needs to be kept between looks (the guarantee is
 * about the event "Λ ever crosses", which the stateless p-value already describes).
 *
 * <p>φ² trades early power for late: {@link #tightestAt} picks the φ² that makes the interval
 * about narrowest at a planned number of units (Waudby-Smith et al.'s closed-form choice). The price of peeking
 * freely is a wider interval than a fixed-horizon test read once at the planned size.
 */
final class MixtureSprt {

    private final double alpha;
    private final double mixing;

    /** {@code mixing} is φ², the mixing variance in units of the variance one unit adds. */
    MixtureSprt(double alpha, double mixing) {
        if (!(alpha > 0 && alpha < 1) || !(mixing > 0)) {
            throw new IllegalArgumentException("alpha in (0, 1) and a positive mixing variance, got " + alpha + ", " + mixing);
        }
        this.alpha = alpha;
        this.mixing = mixing;
    }

    /** The test whose confidence sequence is about narrowest after {@code units} units. */
    static MixtureSprt tightestAt(double alpha, long units) {
        double l = 2 * Math.log(1 / alpha);
        return new MixtureSprt(alpha, (l + Math.log(l + 1)) / units);
    }

    double alpha() {
        return alpha;
    }

    double mixing() {
        return mixing;
    }

    /** ln Λ for {@code estimate} with {@code variance} after {@code units} units. */
    double logLikelihoodRatio(double estimate, double variance, long units) {
        double k = units * mixing;
        double z2 = estimate * estimate / variance;
        return z2 / 2 * k / (1 + k) - Math.log1p(k) / 2;
    }

    /** The always-valid p-value, min(1, 1/Λ). */
    double pValue(double estimate, double variance, long units) {
        return Math.min(1, Math.exp(-logLikelihoodRatio(estimate, variance, units)));
    }

    /** Half the width of the confidence sequence at coverage 1 − α. */
    double halfWidth(double variance, long units) {
        return Math.sqrt(variance * boundary(units));
    }

    /**
     * The confidence sequence for the ratio ρ = a/b of two independent estimates (treatment over
     * control), by Fieller's method: the ρ whose contrast a − ρ·b this test does not reject,
     * (a − ρb)² < c·(va + ρ²·vb). So ρ = 1 lies outside exactly when the test of a − b rejects,
     * and the lift never contradicts the difference's verdict. Null while b is not known to be
     * away from zero (the set is then unbounded).
     */
    double[] ratioBounds(double a, double varianceA, double b, double varianceB, long units) {
        double c = boundary(units);
        double quadratic = b * b - c * varianceB;
        if (!(quadratic > 0)) {
            return null;
        }
        double discriminant = c * (varianceB * a * a + varianceA * b * b) - c * c * varianceA * varianceB;
        double root = Math.sqrt(Math.max(0, discriminant));
        return new double[]{(a * b - root) / quadratic, (a * b + root) / quadratic};
    }

    /** z² beyond which Λ ≥ 1/α: (1 + k)/k · (2 ln(1/α) + ln(1 + k)). */
    private double boundary(long units) {
        double k = units * mixing;
        return (1 + k) / k * (2 * Math.log(1 / alpha) + Math.log1p(k));
    }
}

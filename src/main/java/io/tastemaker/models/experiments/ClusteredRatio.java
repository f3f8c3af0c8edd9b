package io.tastemaker.models.experiments;

/**
 * A ratio of two sums over shoppers (clicks over impressions; revenue over shoppers, whose
 * denominator is 1 a shopper), with a variance that holds when shoppers, not items, are the
 * randomised unit.
 *
 * <p>Each shopper contributes one pair (x, y) of totals; the estimate is R = Σy / Σx. Its
 * variance is the delta method over those pairs (equivalently, the cluster-robust variance with
 * the shopper as cluster):
 * <pre>
 *   Var(R) ≈ Σ (y_i − R·x_i)² / (n (n − 1) x̄²)
 * </pre>
 * A shopper's clicks rise and fall together (one shopper likes the lists, another never clicks),
 * so the items one shopper saw are not independent trials: the binomial variance R(1 − R)/Σx of
 * an item-level z-test ignores that and is too small, by the design effect 1 + (m − 1)ρ for m
 * items a shopper and intra-shopper correlation ρ; its p-values come out far too small. Here the
 * spread between shoppers is measured directly, whatever the correlation inside one shopper.
 * Sums and running moments only are kept (no list of shoppers), so it can be filled one shopper
 * at a time.
 */
final class ClusteredRatio {

    private long shoppers;
    private double sumX;
    private double sumY;
    // running means and centred co-moments (Welford), so a variance near zero is not lost to cancellation
    private double meanX;
    private double meanY;
    private double momentXX;
    private double momentYY;
    private double momentXY;

    /** Adds one shopper's totals: {@code denominator} (e.g. impressions), {@code numerator} (e.g. clicks). */
    void add(double denominator, double numerator) {
        shoppers++;
        sumX += denominator;
        sumY += numerator;
        double dx = denominator - meanX;
        double dy = numerator - meanY;
        meanX += dx / shoppers;
        meanY += dy / shoppers;
        momentXX += dx * (denominator - meanX);
        momentYY += dy * (numerator - meanY);
        momentXY += dx * (numerator - meanY);
    }

    long shoppers() {
        return shoppers;
    }

    /** Σx: with nothing in it, the ratio is undefined. */
    double denominator() {
        return sumX;
    }

    /** Σy / Σx; NaN while Σx is 0. */
    double ratio() {
        return sumX == 0 ? Double.NaN : sumY / sumX;
    }

    /**
     * The delta-method variance of {@link #ratio()}: as ȳ = R·x̄, the residuals y − R·x are the
     * centred (y − ȳ) − R·(x − x̄), so Σ(y − Rx)² = Myy − 2R·Mxy + R²·Mxx over the centred
     * co-moments. NaN below two shoppers or while Σx is 0.
     */
    double variance() {
        if (shoppers < 2 || sumX == 0) {
            return Double.NaN;
        }
        double r = sumY / sumX;
        double residuals = Math.max(0, momentYY - 2 * r * momentXY + r * r * momentXX);
        double meanDenominator = sumX / shoppers;
        return residuals / (shoppers * (shoppers - 1.0) * meanDenominator * meanDenominator);
    }
}

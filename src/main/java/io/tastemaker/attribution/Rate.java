package io.tastemaker.attribution;

/**
 * A proportion with its 95 % Wilson score interval: {@code successes} of {@code trials}. Wilson's
 * interval stays inside [0, 1] and keeps its coverage for small counts and rates near 0, where the
 * normal approximation (p ± 1.96·√(p(1−p)/n)) collapses to zero width: a placement with 0 clicks
 * in 40 impressions is [0, 0.088], not [0, 0]. It treats each impression as an independent trial,
 * which is right for reading a placement's rate, not for comparing variants (shoppers are the unit
 * there). Null bounds when there are no trials, or more successes than trials (outcomes without
 * their impressions: the storefront does not send impressions for that placement).
 */
public record Rate(Double rate, Double low, Double high) {

    static final double Z95 = 1.959963984540054;

    public static Rate of(long successes, long trials) {
        if (trials <= 0) {
            return new Rate(null, null, null);
        }
        double p = (double) successes / trials;
        if (successes > trials) {
            return new Rate(p, null, null);
        }
        double z2 = Z95 * Z95;
        double denominator = 1 + z2 / trials;
        double center = (p + z2 / (2.0 * trials)) / denominator;
        double half = Z95 * Math.sqrt(p * (1 - p) / trials + z2 / (4.0 * trials * trials)) / denominator;
        return new Rate(p, Math.max(0, center - half), Math.min(1, center + half));
    }
}

package io.tastemaker.models.experiments;

import java.util.function.ToDoubleFunction;

/**
 * What the A/B report compares, each a ratio of sums over the shoppers of a variant (see
 * {@link ClusteredRatio}); a per-shopper mean is the ratio whose denominator is 1 a shopper.
 */
enum ExperimentMetric {

    CLICK_THROUGH("clickThrough", "click-through", ShopperOutcome::clicks, ShopperOutcome::impressions),
    CONVERSION("conversion", "conversion", ShopperOutcome::purchases, ShopperOutcome::impressions),
    REVENUE_PER_SHOPPER("revenuePerShopper", "revenue per shopper", ShopperOutcome::revenue, shopper -> 1),
    LISTS_PER_SHOPPER("listsPerShopper", "lists per shopper", ShopperOutcome::lists, shopper -> 1);

    private final String jsonName;
    private final String words;
    private final ToDoubleFunction<ShopperOutcome> numerator;
    private final ToDoubleFunction<ShopperOutcome> denominator;

    ExperimentMetric(String jsonName, String words, ToDoubleFunction<ShopperOutcome> numerator,
                     ToDoubleFunction<ShopperOutcome> denominator) {
        this.jsonName = jsonName;
        this.words = words;
        this.numerator = numerator;
        this.denominator = denominator;
    }

    String jsonName() {
        return jsonName;
    }

    /** How the verdict names it: "the treatment's click-through is higher". */
    String words() {
        return words;
    }

    /** Whether the denominator is impressions (a rate shown in per cent) or shoppers (a mean). */
    boolean perImpression() {
        return this == CLICK_THROUGH || this == CONVERSION;
    }

    ClusteredRatio over(Iterable<ShopperOutcome> shoppers) {
        ClusteredRatio ratio = new ClusteredRatio();
        for (ShopperOutcome shopper : shoppers) {
            ratio.add(denominator.applyAsDouble(shopper), numerator.applyAsDouble(shopper));
        }
        return ratio;
    }
}

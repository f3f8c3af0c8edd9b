package io.tastemaker.models.experiments;

/**
 * What one shopper in one variant of an experiment was served and did with it: the unit of an
 * A/B comparison. Shoppers are randomised, not lists or items, so the items one shopper saw are
 * not independent trials; comparisons treat each shopper's totals as one observation.
 *
 * @param lists       lists served to the shopper under this variant
 * @param impressions items the shopper actually saw (impression events), once per list and product
 * @param clicks      clicks attributed to those lists, once per list and product
 * @param carts       add-to-carts attributed to those lists, once per list and product
 * @param purchases   purchases attributed to those lists, once per list and product
 * @param revenue     the value of those purchases in the reporting currency
 */
public record ShopperOutcome(String userId, long lists, long impressions, long clicks, long carts, long purchases,
                             double revenue) {
}

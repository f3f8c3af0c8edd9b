/**
 * A/B experiments between the active version and a ready one: {@link io.tastemaker.models.experiments.Experiments}
 * starts, ramps and ends them and applies the running one on this instance;
 * {@link io.tastemaker.models.experiments.Split} decides which shoppers get the treatment (held by
 * {@code embedding.ActiveModel}, which assigns every request); {@link io.tastemaker.models.experiments.ExperimentReport}
 * judges the results from each shopper's totals ({@link io.tastemaker.models.experiments.ShopperOutcomes}), with the
 * shopper as the unit ({@code ClusteredRatio}, the delta method) and a test that may be read at any time
 * ({@code MixtureSprt}, always-valid).
 */
package io.tastemaker.models.experiments;

/**
 * A/B experiments between the active version and a ready one: {@link io.tastemaker.models.experiments.Experiments}
 * starts, ramps and ends them and applies the running one on this instance;
 * {@link io.tastemaker.models.experiments.Split} decides which shoppers get the treatment (held by
 * {@code embedding.ActiveModel}, which assigns every request); {@link io.tastemaker.models.experiments.ExperimentReport}
 * judges the results.
 */
package io.tastemaker.models.experiments;

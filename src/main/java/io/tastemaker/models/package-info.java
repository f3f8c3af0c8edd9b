/**
 * Embedding models for data scientists. {@link io.tastemaker.models.ModelResource} is the REST face
 * ({@code /v1/models}); the work is in three parts:
 * <ul>
 *   <li>{@link io.tastemaker.models.registry}: versions and their life (register, index, evaluate,
 *   promote, roll back, retire), loading them safely, and the follower that applies the shared
 *   registry on every instance;</li>
 *   <li>{@link io.tastemaker.models.training}: fine-tuning a residual adapter on the shop's
 *   engagement, and the training-data export;</li>
 *   <li>{@link io.tastemaker.models.experiments}: A/B experiments, from the split of shoppers to
 *   the report.</li>
 * </ul>
 */
package io.tastemaker.models;

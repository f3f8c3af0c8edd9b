/**
 * Fine-tuning: {@link io.tastemaker.models.training.FineTuning} starts a job and registers its
 * result; {@link io.tastemaker.models.training.FineTuner} runs it; {@link io.tastemaker.models.training.AdapterTrainer}
 * learns a {@link io.tastemaker.models.training.ResidualAdapter}, which
 * {@link io.tastemaker.models.training.AdaptedEmbeddingModel} applies when the version serves.
 * The offline comparison ({@code evaluate --fine-tune}) uses the same trainer and pairs.
 */
package io.tastemaker.models.training;

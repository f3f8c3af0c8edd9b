/**
 * The model registry: {@link io.tastemaker.models.registry.ModelVersions} (a version's life),
 * {@link io.tastemaker.models.registry.EvaluationJobs} (the gate's verdicts, run as jobs: no promotion that scores worse),
 * {@link io.tastemaker.models.registry.LoadedModels} (each version loaded once, through the
 * {@link io.tastemaker.models.registry.ModelGuard}), {@link io.tastemaker.models.registry.IndexBuilder}
 * (background builds) and {@link io.tastemaker.models.registry.RegistryFollower} (every instance
 * in line with the registry in PostgreSQL).
 */
package io.tastemaker.models.registry;

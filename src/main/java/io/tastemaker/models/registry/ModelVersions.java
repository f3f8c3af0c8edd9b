package io.tastemaker.models.registry;

import dev.langchain4j.model.embedding.EmbeddingModel;
import io.tastemaker.api.InvalidInputException;
import io.tastemaker.embedding.ActiveModel;
import io.tastemaker.embedding.EmbeddingPipeline;
import io.tastemaker.vectors.VectorStore;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Optional;

/**
 * The life of a model version: registered, indexed in the background, promoted (past the
 * verdict of an evaluation job, {@link EvaluationJobs}), rolled back to, retired. Each step is a conditional update in the
 * registry, so two instances cannot take the same step at once; what the state refuses is a
 * {@link VersionConflict}.
 */
@ApplicationScoped
public class ModelVersions {

    private static final Logger LOG = Logger.getLogger(ModelVersions.class);

    private final ModelRegistry registry;
    private final LoadedModels loaded;
    private final EvaluationJobStore evaluations;
    private final RegistryFollower follower;
    private final ActiveModel models;
    private final EmbeddingPipeline pipeline;
    private final VectorStore store;

    ModelVersions(ModelRegistry registry, LoadedModels loaded, EvaluationJobStore evaluations, RegistryFollower follower,
                  ActiveModel models, EmbeddingPipeline pipeline, VectorStore store) {
        this.registry = registry;
        this.loaded = loaded;
        this.evaluations = evaluations;
        this.follower = follower;
        this.models = models;
        this.pipeline = pipeline;
        this.store = store;
    }

    public List<ModelVersion> list() {
        return registry.list();
    }

    public Optional<ModelVersion> find(String version) {
        return registry.find(version);
    }

    /** @throws UnknownVersion when no version of this name is registered */
    public ModelVersion get(String version) {
        return registry.get(version);
    }

    /** What model versions may reach (files, endpoints, key variables): a registration is parsed against it. */
    public ModelGuard guard() {
        return loaded.guard();
    }

    /** Registers a version after loading it once (so a broken path or endpoint is refused now, not mid-build). */
    public ModelVersion register(ModelRegistration registration) {
        if (registry.find(registration.version()).isPresent()) {
            throw VersionConflict.alreadyRegistered(registration.version());
        }
        EmbeddingModel model = registration.load(loaded.loader(), loaded::baseModel);
        ModelVersion version = ModelVersion.registered(registration.version(), registration.kind(), registration.spec(),
                model.dimension());
        if (!registry.register(version, ModelVersion.State.REGISTERED, artifactOf(registration))) {
            throw VersionConflict.alreadyRegistered(registration.version());
        }
        loaded.add(new ActiveModel.Serving(version.version(), model,
                store.collection(version.collection(), version.dimension())));
        LOG.infof("Model version %s registered (%s, %d dimensions)", version.version(), version.kind().jsonName(),
                version.dimension());
        return get(version.version());
    }

    /** An adapter's weights, kept in the registry so that every instance loads them, not only this one. */
    private byte[] artifactOf(ModelRegistration registration) {
        if (registration.kind() != ModelVersion.Kind.ADAPTER) {
            return null;
        }
        try {
            return Files.readAllBytes(guard().modelFile("adapterPath", registration.spec().adapterPath()));
        } catch (IOException e) {
            throw new InvalidInputException("adapterPath", "could not be read");
        }
    }

    /** Starts (or resumes) the background build of a registered or failed version's collection. */
    public ModelVersion index(String version) {
        ModelVersion v = get(version);
        switch (v.state()) {
            case REGISTERED, FAILED, INDEXING -> {
                if (!registry.startBuild(version, v.total() == null ? 0 : v.total())) {
                    throw VersionConflict.inState(v, "cannot be indexed");
                }
                ModelVersion building = get(version);
                models.maintain(loaded.serving(building));
                follower.build(version, loaded.serving(building));
                return get(version);
            }
            default -> throw VersionConflict.inState(v, "is already indexed");
        }
    }

    /**
     * Makes a ready version serve on every instance, with the feed weights its verdict chose; the
     * one it replaces stays ready (with its own weights) for a rollback. Unless forced, the version
     * needs a finished verdict against the active version that does not find it worse.
     */
    public ModelRegistry.Activation promote(String version, String actor, boolean force) {
        ModelVersion v = get(version);
        if (v.state() != ModelVersion.State.READY) {
            throw VersionConflict.inState(v, "cannot be promoted: only a ready version can (index it first)");
        }
        if (!force) {
            admit(version);
        }
        ModelRegistry.Activation activation = registry.promote(version, actor, "promote")
                .orElseThrow(() -> VersionConflict.inState(get(version), "cannot be promoted: only a ready version can"));
        follower.sync();
        return activation;
    }

    /** @throws VersionConflict without a finished verdict of the version against the active one, or when it is worse */
    private void admit(String version) {
        ModelVersion active = registry.active().orElse(null);
        if (active == null) {
            return;
        }
        EvaluationJob judged = evaluations.latestVerdict(version, active.version())
                .orElseThrow(() -> VersionConflict.notEvaluated(version, active.version(),
                        evaluations.latest(version).orElse(null)));
        if (judged.verdict().worse()) {
            throw VersionConflict.worseThanActive(judged);
        }
    }

    /** Returns to the version that served before the current one (and to its feed weights). */
    public ModelRegistry.Activation rollback(String actor) {
        ModelRegistry.Activation latest = registry.latestActivation().orElseThrow(VersionConflict::neverPromoted);
        if (latest.previous() == null) {
            throw VersionConflict.firstActive(latest.version());
        }
        ModelVersion target = get(latest.previous());
        if (target.state() != ModelVersion.State.READY) {
            throw VersionConflict.inState(target, "cannot be rolled back to");
        }
        ModelRegistry.Activation activation = registry.promote(target.version(), actor, "rollback")
                .orElseThrow(() -> VersionConflict.inState(get(target.version()), "cannot be rolled back to"));
        follower.sync();
        return activation;
    }

    /** Stops maintaining a version and drops its collection; the active version cannot be retired. */
    public ModelVersion retire(String version) {
        ModelVersion v = get(version);
        if (follower.building(version) || !registry.retire(version)) {
            throw VersionConflict.inState(v, "cannot be retired" + (v.state() == ModelVersion.State.ACTIVE ? ": it serves" : " now"));
        }
        models.forget(version);
        pipeline.forget(version);
        loaded.remove(version);
        store.drop(v.collection());
        registry.dropArtifact(version);
        return get(version);
    }
}

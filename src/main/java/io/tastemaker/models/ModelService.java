package io.tastemaker.models;

import dev.langchain4j.model.embedding.EmbeddingModel;
import io.tastemaker.api.ApiException;
import io.tastemaker.api.InvalidInputException;
import io.tastemaker.catalog.CatalogStore;
import io.tastemaker.embedding.ActiveModel;
import io.tastemaker.embedding.EmbeddingConfig;
import io.tastemaker.embedding.EmbeddingPipeline;
import io.tastemaker.engagement.EngagementStore;
import io.tastemaker.profiles.ProfileService;
import io.tastemaker.runtime.RuntimeConfig;
import io.tastemaker.vectors.VectorIndexProducer;
import io.tastemaker.vectors.VectorStore;
import io.tastemaker.vectors.VectorsConfig;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The life of model versions on this instance: registers them, builds their collections in the
 * background, and follows the registry: the active version serves (switched in one step), the
 * versions being built or kept ready are maintained by the pipeline. A promotion made on any
 * instance reaches every instance within {@link ModelsConfig#pollInterval()}.
 *
 * <p>Over 450 lines because it still does five jobs (lifecycle, evaluation gate, fine-tuning,
 * experiments, the cross-instance follower); issue 16 splits it into one class per job.
 */
@ApplicationScoped
public class ModelService {

    private static final Logger LOG = Logger.getLogger(ModelService.class);

    private final ModelRegistry registry;
    private final ActiveModel models;
    private final VectorStore store;
    private final VectorsConfig vectors;
    private final EmbeddingConfig embedding;
    private final ProfileService profiles;
    private final RuntimeConfig runtime;
    private final ModelsConfig config;
    private final CatalogStore catalog;
    private final EmbeddingPipeline pipeline;
    private volatile IndexBuilder builder;
    private final FineTuner fineTuner;
    private final EngagementStore engagement;
    private final ExperimentStore experiments;
    private final ModelLoader loader;
    /** Shoppers the evaluation gate scores both versions on. */
    static final int EVALUATION_SHOPPERS = 2000;
    /** Loaded models by version: loading an ONNX model takes seconds and hundreds of megabytes. */
    private final Map<String, ActiveModel.Serving> loaded = new ConcurrentHashMap<>();
    private ScheduledExecutorService poller;
    private volatile long servedActivation = -1;
    /** This instance in the registry (the owner of the index builds it runs). */
    private final String instance = ModelService.hostName() + "-" + java.util.UUID.randomUUID().toString().substring(0, 8);

    ModelService(ModelRegistry registry, ActiveModel models, VectorStore store, VectorsConfig vectors,
                 EmbeddingConfig embedding, ProfileService profiles, RuntimeConfig runtime, ModelsConfig config,
                 CatalogStore catalog, EmbeddingPipeline pipeline, EngagementStore engagement, ExperimentStore experiments,
                 FineTuneJobStore jobs) {
        this.registry = registry;
        this.models = models;
        this.store = store;
        this.vectors = vectors;
        this.embedding = embedding;
        this.profiles = profiles;
        this.runtime = runtime;
        this.config = config;
        this.catalog = catalog;
        this.pipeline = pipeline;
        ModelGuard guard = new ModelGuard(config.directory().orElse(runtime.dataDir().resolve("models")),
                config.remote().allowedHosts().orElse(List.of()), config.remote().apiKeyEnvPrefix());
        this.loader = new ModelLoader(guard, config.remote().timeout());
        this.fineTuner = new FineTuner(engagement, jobs, guard.directory());
        this.engagement = engagement;
        this.experiments = experiments;
    }

    /**
     * At start-up, once the schema exists: a new registry starts with the configured model as the
     * active version; otherwise the registry's active version serves, the maintained ones are
     * loaded and interrupted builds resume (on instances that run the pipeline).
     */
    public synchronized void start() {
        try {
            java.nio.file.Files.createDirectories(guard().directory());
        } catch (java.io.IOException e) {
            LOG.warnf("The models directory %s (%s) cannot be created: %s", guard().directory(),
                    ModelGuard.DIRECTORY_SETTING, e.toString());
        }
        pipeline.followBacklog(config.followBacklog());
        builder = new IndexBuilder(registry, catalog, pipeline, config, instance);
        ActiveModel.Serving configured = models.serving();
        loaded.put(configured.version(), configured);
        if (registry.find(configured.version()).isEmpty() && registry.active().isEmpty()) {
            ModelVersion.Kind kind = "onnx".equals(embedding.model()) ? ModelVersion.Kind.ONNX : ModelVersion.Kind.BUILTIN;
            var onnx = embedding.onnx();
            ModelVersion.Spec spec = kind == ModelVersion.Kind.ONNX
                    ? ModelVersion.Spec.onnx(onnx.modelPath().map(Object::toString).orElse(null),
                    onnx.tokenizerPath().map(Object::toString).orElse(null), onnx.pooling())
                    : ModelVersion.Spec.BUILTIN;
            registry.register(new ModelVersion(configured.version(), kind, spec, configured.model().dimension(),
                    VectorIndexProducer.collectionFor(configured.version()), ModelVersion.State.READY,
                    configured.index().count(), null, null, null, null, null, null), ModelVersion.State.READY);
            registry.promote(configured.version(), "system", "bootstrap");
            LOG.infof("Model registry started with %s as the active version", configured.version());
        }
        sync(); // resumes the builds nobody holds
        poller = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread t = new Thread(task, "model-registry-poll");
            t.setDaemon(true);
            return t;
        });
        long every = config.pollInterval().toMillis();
        poller.scheduleWithFixedDelay(this::syncQuietly, every, every, TimeUnit.MILLISECONDS);
    }

    /** What model versions may reach (files, endpoints, key variables). */
    ModelGuard guard() {
        return loader.guard();
    }

    public List<ModelVersion> list() {
        return registry.list();
    }

    public ModelVersion get(String version) {
        return registry.find(version).orElseThrow(() -> ApiException.notFound("No model version '" + version + "' is registered."));
    }

    /** Registers a version after loading it once (so a broken path or endpoint is refused now, not mid-build). */
    public ModelVersion register(ModelRegistration registration) {
        if (registry.find(registration.version()).isPresent()) {
            throw new ApiException(409, "Conflict", "Model version '" + registration.version() + "' is already registered.");
        }
        EmbeddingModel model = registration.load(loader, this::baseModel);
        ModelVersion version = new ModelVersion(registration.version(), registration.kind(), registration.spec(),
                model.dimension(), VectorIndexProducer.collectionFor(registration.version()), ModelVersion.State.REGISTERED,
                0, null, null, null, null, null, null);
        if (!registry.register(version, ModelVersion.State.REGISTERED, artifactOf(registration))) {
            throw new ApiException(409, "Conflict", "Model version '" + registration.version() + "' is already registered.");
        }
        loaded.put(version.version(), new ActiveModel.Serving(version.version(), model,
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
            return java.nio.file.Files.readAllBytes(guard().modelFile("adapterPath", registration.spec().adapterPath()));
        } catch (java.io.IOException e) {
            throw new InvalidInputException("adapterPath", "could not be read");
        }
    }

    /** Starts (or resumes) the background build of a registered or failed version's collection. */
    public ModelVersion index(String version) {
        ModelVersion v = get(version);
        switch (v.state()) {
            case REGISTERED, FAILED, INDEXING -> {
                if (!registry.startBuild(version, v.total() == null ? 0 : v.total())) {
                    throw conflict(v, "cannot be indexed");
                }
                ModelVersion building = get(version);
                models.maintain(serving(building));
                builder.start(version, serving(building));
                return get(version);
            }
            default -> throw conflict(v, "is already indexed");
        }
    }

    /** A candidate's score beside the active version's, on the same shoppers. */
    public record Comparison(ModelEvaluation.Score candidate, ModelEvaluation.Score active, boolean worse, String verdict) {
    }

    /** Scores a built version against the active one on held-out engagement (the most recent shoppers). */
    public Comparison evaluate(String version) {
        ModelVersion v = get(version);
        if (v.state() != ModelVersion.State.READY && v.state() != ModelVersion.State.ACTIVE) {
            throw conflict(v, "cannot be evaluated: its collection is not built");
        }
        List<io.tastemaker.profiles.TasteProfile> shoppers = engagement.recentProfiles(EVALUATION_SHOPPERS);
        ModelEvaluation.Score candidate = ModelEvaluation.score(serving(v), shoppers);
        ModelEvaluation.Score active = ModelEvaluation.score(models.serving(), shoppers);
        if (candidate.shoppers() < ModelEvaluation.MIN_SHOPPERS) {
            return new Comparison(candidate, active, false, "too little held-out engagement to judge (" + candidate.shoppers()
                    + " shoppers with two or more products; " + ModelEvaluation.MIN_SHOPPERS + " needed)");
        }
        boolean worse = candidate.ndcg() < active.ndcg();
        return new Comparison(candidate, active, worse, String.format(java.util.Locale.ROOT,
                "%s scores NDCG@10 %.4f (HR@10 %.4f) against %.4f (%.4f) for the active %s, over the same %d shoppers",
                v.version(), candidate.ndcg(), candidate.hitRate(), active.ndcg(), active.hitRate(), active.version(),
                candidate.shoppers()));
    }

    /**
     * Makes a ready version serve on every instance; the one it replaces stays ready for a rollback.
     * Unless forced, a version that scores worse than the active one on held-out engagement is refused.
     */
    public ModelRegistry.Activation promote(String version, String actor, boolean force) {
        ModelVersion v = get(version);
        if (v.state() != ModelVersion.State.READY) {
            throw conflict(v, "cannot be promoted: only a ready version can (index it first)");
        }
        if (!force) {
            Comparison gate = evaluate(version);
            if (gate.worse()) {
                throw new ApiException(409, "Conflict", "Not promoted: " + gate.verdict()
                        + ". Promote with force=true to override.");
            }
        }
        ModelRegistry.Activation activation = registry.promote(version, actor, "promote")
                .orElseThrow(() -> conflict(get(version), "cannot be promoted: only a ready version can"));
        sync();
        return activation;
    }

    /** Returns to the version that served before the current one. */
    public ModelRegistry.Activation rollback(String actor) {
        ModelRegistry.Activation latest = registry.latestActivation()
                .orElseThrow(() -> new ApiException(409, "Conflict", "No model was ever promoted."));
        if (latest.previous() == null) {
            throw new ApiException(409, "Conflict", "Version '" + latest.version() + "' is the first active version: "
                    + "there is nothing to roll back to.");
        }
        ModelVersion target = get(latest.previous());
        if (target.state() != ModelVersion.State.READY) {
            throw conflict(target, "cannot be rolled back to");
        }
        ModelRegistry.Activation activation = registry.promote(target.version(), actor, "rollback")
                .orElseThrow(() -> conflict(get(target.version()), "cannot be rolled back to"));
        sync();
        return activation;
    }

    /**
     * Starts training an adapter over {@code base} on the shop's co-engagement; once trained it is
     * registered as a new version and its index build starts.
     */
    public FineTuner.Job fineTune(String base, FineTuneRequest request) {
        ModelVersion baseVersion = get(base);
        if (baseVersion.state() != ModelVersion.State.ACTIVE && baseVersion.state() != ModelVersion.State.READY) {
            throw conflict(baseVersion, "cannot be fine-tuned: its collection must be built (ready or active)");
        }
        if (baseVersion.kind() == ModelVersion.Kind.ADAPTER) {
            throw conflict(baseVersion, "cannot be fine-tuned: it is an adapter itself; fine-tune its base");
        }
        if (registry.find(request.version()).isPresent()) {
            throw new ApiException(409, "Conflict", "Model version '" + request.version() + "' is already registered.");
        }
        try {
            return fineTuner.start(request.version(), serving(baseVersion), request.settings(), request.minWeight(),
                    trained -> {
                        register(new ModelRegistration(trained.version(), ModelVersion.Kind.ADAPTER,
                                ModelVersion.Spec.adapter(base, trained.adapterPath())));
                        index(trained.version());
                    });
        } catch (IllegalStateException e) {
            throw new ApiException(409, "Conflict", e.getMessage());
        }
    }

    /**
     * Starts an A/B experiment (the active version against a ready one, for a share of the
     * shoppers), or changes the share of the one running with the same two versions.
     */
    public Experiment startExperiment(ExperimentRequest request, String actor) {
        ModelVersion active = registry.active().orElseThrow(() -> new ApiException(409, "Conflict", "No version is active."));
        if (request.control() != null && !request.control().equals(active.version())) {
            throw new InvalidInputException("control", "must be the active version '" + active.version() + "' (or left out), got '"
                    + request.control() + "'");
        }
        if (request.treatment().equals(active.version())) {
            throw new InvalidInputException("treatment", "must not be the active version '" + active.version() + "'");
        }
        ModelVersion treatment = registry.find(request.treatment()).orElseThrow(() -> new InvalidInputException("treatment",
                "no version '" + request.treatment() + "' is registered"));
        if (treatment.state() != ModelVersion.State.READY) {
            throw conflict(treatment, "cannot be a treatment: only a ready version can (its collection built and maintained)");
        }
        Experiment started = experiments.start(active.version(), treatment.version(), request.basisPoints(), actor);
        sync();
        return started;
    }

    /** Ends the running experiment; its report stays readable. */
    public ExperimentReport endExperiment(String actor) {
        Experiment ended = experiments.end("ended by " + actor)
                .orElseThrow(() -> new ApiException(409, "Conflict", "No experiment is running."));
        sync();
        return report(ended);
    }

    /** The running experiment's results so far, or the last one's. */
    public ExperimentReport experiment() {
        Experiment latest = experiments.latest()
                .orElseThrow(() -> ApiException.notFound("No experiment was ever started."));
        ActiveModel.Split split = models.split();
        if (split != null && split.id() == latest.id()) {
            flushServed(split); // this instance's own lists count at once
        }
        return report(latest);
    }

    private ExperimentReport report(Experiment experiment) {
        return ExperimentReport.of(experiment, experiments.tallies(experiment.id()));
    }

    public FineTuner.Job fineTuneJob(String version) {
        FineTuner.Job job = fineTuner.job(version);
        if (job == null) {
            throw ApiException.notFound("No fine-tuning job for '" + version + "' was ever started.");
        }
        return job;
    }

    /** Stops maintaining a version and drops its collection; the active version cannot be retired. */
    public ModelVersion retire(String version) {
        ModelVersion v = get(version);
        if (builder.building(version) || !registry.retire(version)) {
            throw conflict(v, "cannot be retired" + (v.state() == ModelVersion.State.ACTIVE ? ": it serves" : " now"));
        }
        models.forget(version);
        pipeline.forget(version);
        loaded.remove(version);
        store.drop(v.collection());
        registry.dropArtifact(version);
        return get(version);
    }

    private void syncQuietly() {
        try {
            sync();
        } catch (RuntimeException e) {
            LOG.warnf("Model registry poll failed (will retry): %s", e.toString());
        }
    }

    /** Brings this instance in line with the registry: the active version serves, maintained ones are loaded. */
    synchronized void sync() {
        Optional<ModelRegistry.Activation> latest = registry.latestActivation();
        if (latest.isPresent() && latest.get().id() != servedActivation) {
            ModelVersion active = get(latest.get().version());
            if (!active.version().equals(models.serving().version())) {
                long began = System.nanoTime();
                ActiveModel.Serving next;
                try {
                    next = serving(active);
                } catch (ModelGuard.Refused refused) {
                    // a row stored before the models directory existed: an upgrade must not stop the service
                    LOG.errorf("The active version %s is refused at load (%s); this instance keeps serving %s."
                            + " Register the model again under tastemaker.models.directory and promote it.",
                            active.version(), refused.getMessage(), models.serving().version());
                    servedActivation = latest.get().id();
                    followExperiment();
                    return;
                }
                store.pointAlias(vectors.alias(), active.collection());
                models.activate(next);
                profiles.forgetAll(); // cached profiles are expressed in the previous model's space
                LOG.infof("Model %s now serves (was %s; switched in %d ms)", active.version(),
                        latest.get().previous(), (System.nanoTime() - began) / 1_000_000);
            }
            servedActivation = latest.get().id();
        }
        followExperiment();
        if ("api".equals(runtime.role())) {
            return; // no pipeline here: only the serving model is needed
        }
        // versions whose model failed for so long that they missed catalog changes: built again from scratch
        pipeline.fallenBehind().forEach((version, reason) -> {
            if (registry.failMaintained(version, reason)) {
                LOG.errorf("Model version %s failed: %s", version, reason);
            }
            models.forget(version);
            pipeline.forget(version);
        });
        // builds nobody holds: interrupted by a restart, or their instance stopped renewing the lease
        for (String version : builder == null ? List.<String>of() : registry.unclaimedBuilds(config.buildLease())) {
            if (!builder.building(version)) {
                ActiveModel.Serving target = loadable(get(version));
                if (target != null) {
                    builder.start(version, target);
                }
            }
        }
        for (ModelVersion v : registry.list()) {
            if (v.state().maintained() && !v.version().equals(models.serving().version())) {
                ActiveModel.Serving target = loadable(v);
                if (target != null) {
                    models.maintain(target);
                }
            } else if (!v.state().maintained()) {
                models.forget(v.version());
            }
        }
    }

    /**
     * The loaded version, or null when the guard refuses what its registry row asks for (a row
     * written before the rules, or by hand): it is marked failed, with the reason, not loaded.
     */
    private ActiveModel.Serving loadable(ModelVersion v) {
        try {
            return serving(v);
        } catch (ModelGuard.Refused e) {
            models.forget(v.version());
            if (registry.failMaintained(v.version(), "refused at load: " + e.getMessage())) {
                LOG.errorf("Model version %s is not loaded: %s", v.version(), e.getMessage());
            }
            return null;
        }
    }

    /** Applies the registry's running experiment here (its treatment loaded) and writes the lists served. */
    private void followExperiment() {
        Optional<Experiment> running = experiments.running();
        ActiveModel.Split split = models.split();
        if (split != null && (running.isEmpty() || running.get().id() != split.id())) {
            models.split(null);
            flushServed(split);
            split = null;
        }
        if (running.isEmpty()) {
            return;
        }
        Experiment experiment = running.get();
        if (split == null) {
            ActiveModel.Serving treatment = loadable(get(experiment.treatment()));
            if (treatment == null) {
                return; // refused at load: marked failed, so it serves no one
            }
            models.split(new ActiveModel.Split(experiment.id(), experiment.basisPoints(), treatment,
                    experiment.startedAt()));
            LOG.infof("Experiment %d: %s serves %.2f %% of shoppers (control %s)", experiment.id(),
                    experiment.treatment(), experiment.percent(), experiment.control());
        } else {
            split.rampTo(experiment.basisPoints());
            flushServed(split);
        }
    }

    private void flushServed(ActiveModel.Split split) {
        for (ActiveModel.Variant variant : ActiveModel.Variant.values()) {
            long[] served = split.drainServed(variant);
            if (served[0] > 0) {
                try {
                    experiments.addServed(split.id(), variant, served[0], served[1]);
                } catch (RuntimeException e) {
                    split.undrain(variant, served); // counted with the next flush
                    throw e;
                }
            }
        }
    }

    /** Synchronized: loading a model twice (the poller and a request at once) would cost seconds and memory. */
    private synchronized ActiveModel.Serving serving(ModelVersion v) {
        ActiveModel.Serving known = loaded.get(v.version());
        if (known != null) {
            return known;
        }
        byte[] artifact = v.kind() == ModelVersion.Kind.ADAPTER ? registry.artifact(v.version()).orElse(null) : null;
        ActiveModel.Serving serving = new ActiveModel.Serving(v.version(),
                loader.load(v.kind(), v.spec(), this::baseModel, artifact),
                store.collection(v.collection(), v.dimension()));
        loaded.put(v.version(), serving);
        return serving;
    }

    /** The loaded model of a registered version, for an adapter over it. */
    private EmbeddingModel baseModel(String version) {
        ModelVersion base = registry.find(version).orElseThrow(() -> new IllegalArgumentException(
                "the base version '" + version + "' is not registered"));
        if (base.kind() == ModelVersion.Kind.ADAPTER) {
            throw new IllegalArgumentException("the base version '" + version + "' is itself an adapter");
        }
        return serving(base).model();
    }

    private static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "instance";
        }
    }

    private static ApiException conflict(ModelVersion v, String what) {
        return new ApiException(409, "Conflict", "Model version '" + v.version() + "' is " + v.state().jsonName() + " and "
                + what + ".");
    }

    /** Stops polling and any build; a build in progress resumes on the next {@link #start()}. */
    public synchronized void stop() {
        if (builder != null) {
            builder.close();
        }
        ActiveModel.Split split = models.split();
        if (split != null) {
            try {
                flushServed(split);
            } catch (RuntimeException e) {
                LOG.warnf("Lists served in experiment %d since the last poll are not counted: %s", split.id(), e.toString());
            }
        }
        if (poller != null) {
            poller.shutdownNow();
        }
    }
}

package io.tastemaker.models.registry;

import io.tastemaker.catalog.CatalogStore;
import io.tastemaker.embedding.ActiveModel;
import io.tastemaker.embedding.EmbeddingConfig;
import io.tastemaker.embedding.EmbeddingPipeline;
import io.tastemaker.models.experiments.Experiments;
import io.tastemaker.profiles.ProfileService;
import io.tastemaker.runtime.RuntimeConfig;
import io.tastemaker.vectors.VectorStore;
import io.tastemaker.vectors.VectorsConfig;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Keeps this instance in line with the registry that every instance shares: the active version
 * serves (switched in one step) with the feed weights stored with it, the versions being built or kept ready are maintained by the
 * pipeline, builds nobody holds are resumed, and the running experiment applies. A promotion made
 * on any instance reaches every instance within {@link ModelsConfig#pollInterval()}.
 */
@ApplicationScoped
public class RegistryFollower {

    private static final Logger LOG = Logger.getLogger(RegistryFollower.class);

    private final ModelRegistry registry;
    private final LoadedModels loaded;
    private final Experiments experiments;
    private final ActiveModel models;
    private final VectorStore store;
    private final VectorsConfig vectors;
    private final EmbeddingConfig embedding;
    private final ProfileService profiles;
    private final RuntimeConfig runtime;
    private final ModelsConfig config;
    private final CatalogStore catalog;
    private final EmbeddingPipeline pipeline;
    private final EvaluationJobStore evaluations;
    private final VersionFeedWeights feedWeights;
    /** This instance in the registry (the owner of the index builds it runs). */
    private final String instance = hostName() + "-" + UUID.randomUUID().toString().substring(0, 8);
    private volatile IndexBuilder builder;
    private ScheduledExecutorService poller;
    private volatile long servedActivation = -1;

    RegistryFollower(ModelRegistry registry, LoadedModels loaded, Experiments experiments, ActiveModel models,
                     VectorStore store, VectorsConfig vectors, EmbeddingConfig embedding, ProfileService profiles,
                     RuntimeConfig runtime, ModelsConfig config, CatalogStore catalog, EmbeddingPipeline pipeline,
                     EvaluationJobStore evaluations, VersionFeedWeights feedWeights) {
        this.registry = registry;
        this.loaded = loaded;
        this.experiments = experiments;
        this.models = models;
        this.store = store;
        this.vectors = vectors;
        this.embedding = embedding;
        this.profiles = profiles;
        this.runtime = runtime;
        this.config = config;
        this.catalog = catalog;
        this.pipeline = pipeline;
        this.evaluations = evaluations;
        this.feedWeights = feedWeights;
    }

    /**
     * At start-up, once the schema exists: a new registry starts with the configured model as the
     * active version; otherwise the registry's active version serves, the maintained ones are
     * loaded and interrupted builds resume (on instances that run the pipeline).
     */
    public synchronized void start() {
        try {
            Files.createDirectories(loaded.guard().directory());
        } catch (IOException e) {
            LOG.warnf("The models directory %s (%s) cannot be created: %s", loaded.guard().directory(),
                    ModelGuard.DIRECTORY_SETTING, e.toString());
        }
        pipeline.followBacklog(config.followBacklog());
        builder = new IndexBuilder(registry, catalog, pipeline, config, instance);
        ActiveModel.Serving configured = models.serving();
        loaded.add(configured);
        if (registry.find(configured.version()).isEmpty() && registry.active().isEmpty()) {
            registry.register(ModelVersion.ready(configured.version(), configuredKind(), configuredSpec(),
                    configured.model().dimension(), configured.index().count()), ModelVersion.State.READY);
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

    private ModelVersion.Kind configuredKind() {
        return "onnx".equals(embedding.model()) ? ModelVersion.Kind.ONNX : ModelVersion.Kind.BUILTIN;
    }

    private ModelVersion.Spec configuredSpec() {
        var onnx = embedding.onnx();
        return configuredKind() == ModelVersion.Kind.ONNX
                ? ModelVersion.Spec.onnx(onnx.modelPath().map(Object::toString).orElse(null),
                onnx.tokenizerPath().map(Object::toString).orElse(null), onnx.pooling())
                : ModelVersion.Spec.BUILTIN;
    }

    /** Starts (or resumes) building a version's collection on this instance. */
    void build(String version, ActiveModel.Serving target) {
        builder.start(version, target);
    }

    /** Whether this instance is building the version's collection now. */
    boolean building(String version) {
        return builder.building(version);
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
        feedWeights.refresh(evaluations.feedBlends()); // they travel with the versions: read with them
        Optional<ModelRegistry.Activation> latest = registry.latestActivation();
        if (latest.isPresent() && latest.get().id() != servedActivation) {
            ModelVersion active = registry.get(latest.get().version());
            if (!active.version().equals(models.serving().version())) {
                long began = System.nanoTime();
                ActiveModel.Serving next;
                try {
                    next = loaded.serving(active);
                } catch (ModelGuard.Refused refused) {
                    // a row stored before the models directory existed: an upgrade must not stop the service
                    LOG.errorf("The active version %s is refused at load (%s); this instance keeps serving %s."
                            + " Register the model again under tastemaker.models.directory and promote it.",
                            active.version(), refused.getMessage(), models.serving().version());
                    servedActivation = latest.get().id();
                    experiments.follow();
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
        experiments.follow();
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
                ActiveModel.Serving target = loaded.loadable(registry.get(version));
                if (target != null) {
                    builder.start(version, target);
                }
            }
        }
        for (ModelVersion v : registry.list()) {
            if (v.state().maintained() && !v.version().equals(models.serving().version())) {
                ActiveModel.Serving target = loaded.loadable(v);
                if (target != null) {
                    models.maintain(target);
                }
            } else if (!v.state().maintained()) {
                models.forget(v.version());
            }
        }
    }

    /** Stops polling and any build; a build in progress resumes on the next {@link #start()}. */
    public synchronized void stop() {
        if (builder != null) {
            builder.close();
        }
        experiments.stop();
        if (poller != null) {
            poller.shutdownNow();
        }
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "instance";
        }
    }
}

package io.tastemaker.models.registry;

import dev.langchain4j.model.embedding.EmbeddingModel;
import io.tastemaker.embedding.ActiveModel;
import io.tastemaker.runtime.RuntimeConfig;
import io.tastemaker.vectors.VectorStore;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The model versions this instance has loaded, by version: loading an ONNX model takes seconds
 * and hundreds of megabytes, so each is loaded once, through the {@link ModelGuard}, and kept.
 */
@ApplicationScoped
public class LoadedModels {

    private static final Logger LOG = Logger.getLogger(LoadedModels.class);

    private final ModelRegistry registry;
    private final ActiveModel models;
    private final VectorStore store;
    private final ModelLoader loader;
    private final Map<String, ActiveModel.Serving> loaded = new ConcurrentHashMap<>();

    LoadedModels(ModelRegistry registry, ActiveModel models, VectorStore store, ModelsConfig config, RuntimeConfig runtime) {
        this.registry = registry;
        this.models = models;
        this.store = store;
        ModelGuard guard = new ModelGuard(config.directory().orElse(runtime.dataDir().resolve("models")),
                config.remote().allowedHosts().orElse(List.of()), config.remote().apiKeyEnvPrefix());
        this.loader = new ModelLoader(guard, config.remote().timeout());
    }

    /** What model versions may reach (files, endpoints, key variables). */
    public ModelGuard guard() {
        return loader.guard();
    }

    ModelLoader loader() {
        return loader;
    }

    /** A model loaded elsewhere (the configured one at start-up, a registration's probe): kept, not loaded again. */
    void add(ActiveModel.Serving serving) {
        loaded.put(serving.version(), serving);
    }

    void remove(String version) {
        loaded.remove(version);
    }

    /** Synchronized: loading a model twice (the poller and a request at once) would cost seconds and memory. */
    public synchronized ActiveModel.Serving serving(ModelVersion v) {
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

    /**
     * The loaded version, or null when the guard refuses what its registry row asks for (a row
     * written before the rules, or by hand): it is marked failed, with the reason, not loaded.
     */
    public ActiveModel.Serving loadable(ModelVersion v) {
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

    /** The loaded model of a registered version, for an adapter over it. */
    EmbeddingModel baseModel(String version) {
        ModelVersion base = registry.find(version).orElseThrow(() -> new IllegalArgumentException(
                "the base version '" + version + "' is not registered"));
        if (base.kind() == ModelVersion.Kind.ADAPTER) {
            throw new IllegalArgumentException("the base version '" + version + "' is itself an adapter");
        }
        return serving(base).model();
    }
}

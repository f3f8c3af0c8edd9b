package io.tastemaker.models.registry;

import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.OnnxEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.PoolingMode;
import dev.langchain4j.model.embedding.onnx.bgesmallenv15q.BgeSmallEnV15QuantizedEmbeddingModel;
import io.tastemaker.models.training.AdaptedEmbeddingModel;
import io.tastemaker.models.training.ResidualAdapter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.function.Function;

/**
 * Builds the LangChain4j embedding model a registered version describes, after the
 * {@link ModelGuard} allowed its files, endpoint and key variable: at registration and again at
 * every load, so a registry row cannot reach what a registration could not.
 */
final class ModelLoader {

    private final ModelGuard guard;
    private final Duration remoteTimeout;

    ModelLoader(ModelGuard guard, Duration remoteTimeout) {
        this.guard = guard;
        this.remoteTimeout = remoteTimeout;
    }

    ModelGuard guard() {
        return guard;
    }

    /**
     * @param bases   the loaded model of another registered version (for adapters)
     * @param adapter the adapter's weights as the registry keeps them; null reads {@code spec.adapterPath()}
     * @throws ModelGuard.Refused when the version reaches outside what the guard allows
     */
    EmbeddingModel load(ModelVersion.Kind kind, ModelVersion.Spec spec, Function<String, EmbeddingModel> bases,
                        byte[] adapter) {
        return switch (kind) {
            case BUILTIN -> new BgeSmallEnV15QuantizedEmbeddingModel();
            case ONNX -> new OnnxEmbeddingModel(guard.modelFile("modelPath", spec.modelPath()),
                    guard.modelFile("tokenizerPath", spec.tokenizerPath()), PoolingMode.valueOf(spec.pooling()));
            case REMOTE -> {
                java.net.URI endpoint = guard.endpoint(spec.baseUrl());
                String keyVariable = guard.apiKeyEnv(spec.apiKeyEnv());
                // the key itself never enters the registry: only the name of the variable holding it
                String key = keyVariable == null ? "none" : System.getenv().getOrDefault(keyVariable, "none");
                yield new RemoteEmbeddingModel(endpoint, spec.modelName(), key, remoteTimeout);
            }
            case ADAPTER -> {
                try {
                    yield new AdaptedEmbeddingModel(bases.apply(spec.base()), adapter == null
                            ? ResidualAdapter.load(guard.modelFile("adapterPath", spec.adapterPath()))
                            : ResidualAdapter.fromBytes(adapter, "the registry's copy of " + spec.adapterPath()));
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read the adapter " + spec.adapterPath(), e);
                }
            }
        };
    }
}

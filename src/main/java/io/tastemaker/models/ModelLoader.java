package io.tastemaker.models;

import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.OnnxEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.PoolingMode;
import dev.langchain4j.model.embedding.onnx.bgesmallenv15q.BgeSmallEnV15QuantizedEmbeddingModel;
import dev.langchain4j.model.openai.OpenAiEmbeddingModel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Function;

/** Builds the LangChain4j embedding model a registered version describes. */
final class ModelLoader {

    private ModelLoader() {
    }

    /**
     * @param bases   the loaded model of another registered version (for adapters)
     * @param adapter the adapter's weights as the registry keeps them; null reads {@code spec.adapterPath()}
     */
    static EmbeddingModel load(ModelVersion.Kind kind, ModelVersion.Spec spec, Function<String, EmbeddingModel> bases,
                               byte[] adapter) {
        return switch (kind) {
            case BUILTIN -> new BgeSmallEnV15QuantizedEmbeddingModel();
            case ONNX -> new OnnxEmbeddingModel(Path.of(spec.modelPath()), Path.of(spec.tokenizerPath()),
                    PoolingMode.valueOf(spec.pooling()));
            case REMOTE -> OpenAiEmbeddingModel.builder()
                    .baseUrl(spec.baseUrl())
                    .modelName(spec.modelName())
                    // the key itself never enters the registry: only the name of the variable holding it
                    .apiKey(spec.apiKeyEnv() == null ? "none" : System.getenv().getOrDefault(spec.apiKeyEnv(), "none"))
                    .timeout(Duration.ofSeconds(30))
                    .maxRetries(2)
                    .build();
            case ADAPTER -> {
                try {
                    yield new AdaptedEmbeddingModel(bases.apply(spec.base()), adapter == null
                            ? ResidualAdapter.load(Path.of(spec.adapterPath()))
                            : ResidualAdapter.fromBytes(adapter, "the registry's copy of " + spec.adapterPath()));
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read the adapter " + spec.adapterPath(), e);
                }
            }
        };
    }
}

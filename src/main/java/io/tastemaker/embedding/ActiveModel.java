package io.tastemaker.embedding;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.OnnxEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.PoolingMode;
import dev.langchain4j.model.embedding.onnx.bgesmallenv15q.BgeSmallEnV15QuantizedEmbeddingModel;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.List;

/** The embedding model serving now: its version name and the LangChain4j model behind it. */
@ApplicationScoped
public class ActiveModel {

    private static final Logger LOG = Logger.getLogger(ActiveModel.class);
    public static final String DEFAULT_VERSION = "bge-small-en-v1.5-q";

    private final EmbeddingConfig config;
    private volatile EmbeddingModel model;
    private volatile String version;

    ActiveModel(EmbeddingConfig config) {
        this.config = config;
    }

    /** Loads the model; called once at start-up so the first request does not pay for it. */
    public synchronized void load() {
        if (model != null) {
            return;
        }
        long started = System.nanoTime();
        switch (config.model()) {
            case "bge-small-en-v1.5" -> {
                model = new BgeSmallEnV15QuantizedEmbeddingModel();
                version = DEFAULT_VERSION;
            }
            case "onnx" -> {
                var onnx = config.onnx();
                model = new OnnxEmbeddingModel(
                        onnx.modelPath().orElseThrow(() -> new IllegalStateException(
                                "tastemaker.embedding.onnx.model-path is required when tastemaker.embedding.model=onnx")),
                        onnx.tokenizerPath().orElseThrow(() -> new IllegalStateException(
                                "tastemaker.embedding.onnx.tokenizer-path is required when tastemaker.embedding.model=onnx")),
                        PoolingMode.valueOf(onnx.pooling()));
                version = onnx.version();
            }
            default -> throw new IllegalStateException("tastemaker.embedding.model must be bge-small-en-v1.5 or onnx, got '"
                    + config.model() + "'");
        }
        // the first inference initialises ONNX Runtime: pay it now, not on a shopper's request
        model.embed("warm up");
        LOG.infof("Embedding model %s (%d dimensions) loaded in %d ms", version, model.dimension(),
                (System.nanoTime() - started) / 1_000_000);
    }

    public int dimension() {
        return model.dimension();
    }

    public boolean loaded() {
        return model != null;
    }

    public String version() {
        return version;
    }

    public float[] embed(String text) {
        return model.embed(text).content().vector();
    }

    public List<float[]> embedAll(List<String> texts) {
        return model.embedAll(texts.stream().map(TextSegment::from).toList()).content().stream()
                .map(e -> e.vector()).toList();
    }
}

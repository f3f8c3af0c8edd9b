package io.tastemaker.embedding;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** Which open model embeds products, and how the pipeline batches. */
@ConfigMapping(prefix = "tastemaker.embedding")
public interface EmbeddingConfig {

    /**
     * {@code bge-small-en-v1.5} (in-process, bundled) or {@code onnx} (an exported model from
     * {@code onnx.model-path} and {@code onnx.tokenizer-path}).
     */
    @WithDefault("bge-small-en-v1.5")
    String model();

    Onnx onnx();

    /** Texts per embedding call: the model runs a batch faster per text than one by one. */
    @WithDefault("64")
    int batchSize();

    /** How long the pipeline waits to fill a batch once a record has arrived. */
    @WithDefault("100ms")
    Duration maxWait();

    /** Log progress every this many products. */
    @WithDefault("1000")
    int progressEvery();

    /** Query embeddings kept in memory for repeated searches. */
    @WithDefault("20000")
    int queryCacheSize();

    interface Onnx {
        Optional<Path> modelPath();

        Optional<Path> tokenizerPath();

        /** MEAN or CLS, as the model was trained. */
        @WithDefault("MEAN")
        String pooling();

        /** Version name shown in responses, e.g. my-bge-finetune-2026-11. */
        @WithDefault("custom-onnx")
        String version();
    }
}

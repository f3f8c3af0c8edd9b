package io.tastemaker.models.registry;

import io.tastemaker.vectors.VectorStoreProducer;

import java.time.Instant;
import java.util.Locale;

/**
 * One registered embedding model and the state of its index. States:
 * {@code registered → indexing (progress) → ready → active}, an active version becomes ready
 * again when another is promoted (it stays maintained, so a rollback is instant), {@code retired}
 * versions are no longer maintained, {@code failed} ones record why.
 */
public record ModelVersion(String version, Kind kind, Spec spec, int dimension, String collection, State state,
                           long indexed, Long total, String resumeAfter, Instant buildStartedAt, String error,
                           Instant createdAt, Instant updatedAt) {

    /** A version just registered: its collection named, nothing indexed yet. */
    public static ModelVersion registered(String version, Kind kind, Spec spec, int dimension) {
        return asRegistered(version, kind, spec, dimension, State.REGISTERED, 0);
    }

    /**
     * A version whose collection is already built with {@code indexed} products: the configured
     * model a new registry starts with (or a row written by hand, in tests).
     */
    public static ModelVersion ready(String version, Kind kind, Spec spec, int dimension, long indexed) {
        return asRegistered(version, kind, spec, dimension, State.READY, indexed);
    }

    /** As a registration writes it: the registry fills in the build's progress and the times. */
    private static ModelVersion asRegistered(String version, Kind kind, Spec spec, int dimension, State state, long indexed) {
        return new ModelVersion(version, kind, spec, dimension, VectorStoreProducer.collectionFor(version), state, indexed,
                null, null, null, null, null, null);
    }

    public enum Kind {
        /** bge-small-en-v1.5 (quantized), bundled with the service. */
        BUILTIN,
        /** Any exported model: model.onnx + tokenizer.json + pooling, from a path every instance can read. */
        ONNX,
        /** An OpenAI-compatible embeddings endpoint (vLLM, TEI, Ollama...). */
        REMOTE,
        /** A fine-tuned {@link io.tastemaker.models.training.ResidualAdapter} over another registered version's vectors. */
        ADAPTER;

        public String jsonName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public enum State {
        REGISTERED, INDEXING, READY, ACTIVE, RETIRED, FAILED;

        public String jsonName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** Versions whose collection follows every catalog change. */
        public boolean maintained() {
            return this == INDEXING || this == READY || this == ACTIVE;
        }
    }

    /** Kind-specific settings; unused fields are null. */
    public record Spec(String modelPath, String tokenizerPath, String pooling, String baseUrl, String modelName,
                       String apiKeyEnv, String base, String adapterPath) {

        public static Spec onnx(String modelPath, String tokenizerPath, String pooling) {
            return new Spec(modelPath, tokenizerPath, pooling, null, null, null, null, null);
        }

        public static Spec remote(String baseUrl, String modelName, String apiKeyEnv) {
            return new Spec(null, null, null, baseUrl, modelName, apiKeyEnv, null, null);
        }

        public static Spec adapter(String base, String adapterPath) {
            return new Spec(null, null, null, null, null, null, base, adapterPath);
        }

        public static final Spec BUILTIN = new Spec(null, null, null, null, null, null, null, null);
    }

    /** Share of the catalog indexed, 0–100, or null before a build started. */
    public Double progressPercent() {
        if (total == null) {
            return null;
        }
        return total == 0 ? 100.0 : Math.min(100.0, Math.round(1000.0 * indexed / total) / 10.0);
    }
}

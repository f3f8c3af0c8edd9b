package io.tastemaker.embedding;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.OnnxEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.PoolingMode;
import dev.langchain4j.model.embedding.onnx.bgesmallenv15q.BgeSmallEnV15QuantizedEmbeddingModel;
import io.tastemaker.models.experiments.Split;
import io.tastemaker.models.experiments.Variant;
import io.tastemaker.vectors.VectorIndex;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The embedding models this instance uses: the one serving now (its version, the LangChain4j
 * model and its collection, swapped together in one step on a promotion), the versions being
 * built or kept ready beside it, whose collections the pipeline keeps current, and, during an A/B
 * experiment, the running {@link Split} (which shoppers it serves with its treatment is the
 * split's own rule, in {@code models.experiments}).
 */
@ApplicationScoped
public class ActiveModel {

    private static final Logger LOG = Logger.getLogger(ActiveModel.class);
    public static final String DEFAULT_VERSION = "bge-small-en-v1.5-q";

    /** A model version with its collection. Requests take one snapshot and use it throughout. */
    public record Serving(String version, EmbeddingModel model, VectorIndex index) {

        public float[] embed(String text) {
            return model.embed(text).content().vector();
        }

        public List<float[]> embedAll(List<String> texts) {
            return model.embedAll(texts.stream().map(TextSegment::from).toList()).content().stream()
                    .map(e -> e.vector()).toList();
        }
    }

    /** A shopper's model for one request: the serving version, or the treatment of a running experiment. */
    public record Assignment(Serving serving, Split split, Variant variant) {

        public boolean inExperiment() {
            return split != null;
        }
    }

    private final EmbeddingConfig config;
    private volatile Split split;
    private EmbeddingModel configured;
    private String configuredVersion;
    private volatile Serving serving;
    private final Map<String, Serving> maintained = new ConcurrentHashMap<>();

    ActiveModel(EmbeddingConfig config) {
        this.config = config;
    }

    /**
     * Loads the model named in the configuration: what serves until the registry says otherwise
     * (and what the registry starts with). Called once at start-up so no request pays for it.
     */
    public synchronized void load() {
        if (configured != null) {
            return;
        }
        long started = System.nanoTime();
        switch (config.model()) {
            case "bge-small-en-v1.5" -> {
                configured = new BgeSmallEnV15QuantizedEmbeddingModel();
                configuredVersion = DEFAULT_VERSION;
            }
            case "onnx" -> {
                var onnx = config.onnx();
                configured = new OnnxEmbeddingModel(
                        onnx.modelPath().orElseThrow(() -> new IllegalStateException(
                                "tastemaker.embedding.onnx.model-path is required when tastemaker.embedding.model=onnx")),
                        onnx.tokenizerPath().orElseThrow(() -> new IllegalStateException(
                                "tastemaker.embedding.onnx.tokenizer-path is required when tastemaker.embedding.model=onnx")),
                        PoolingMode.valueOf(onnx.pooling()));
                configuredVersion = onnx.version();
            }
            default -> throw new IllegalStateException("tastemaker.embedding.model must be bge-small-en-v1.5 or onnx, got '"
                    + config.model() + "'");
        }
        // the first inference initialises ONNX Runtime: pay it now, not on a shopper's request
        configured.embed("warm up");
        LOG.infof("Embedding model %s (%d dimensions) loaded in %d ms", configuredVersion, configured.dimension(),
                (System.nanoTime() - started) / 1_000_000);
    }

    /** The configured model (see {@link #load()}). */
    public EmbeddingModel configuredModel() {
        load();
        return configured;
    }

    public String configuredVersion() {
        load();
        return configuredVersion;
    }

    /** Switches serving to this version in one step; requests already running finish on their snapshot. */
    public void activate(Serving next) {
        Serving previous = serving;
        serving = next;
        maintained.remove(next.version());
        if (previous != null && !previous.version().equals(next.version())) {
            maintained.put(previous.version(), previous);
        }
    }

    /** Keeps this version's collection current beside the serving one. */
    public void maintain(Serving version) {
        if (serving == null || !serving.version().equals(version.version())) {
            maintained.put(version.version(), version);
        }
    }

    public void forget(String version) {
        maintained.remove(version);
    }

    /** The snapshot serving now. */
    public Serving serving() {
        Serving current = serving;
        if (current == null) {
            throw new IllegalStateException("no embedding model is serving yet");
        }
        return current;
    }

    /**
     * The model for this shopper's request. Anonymous requests and shoppers outside a running
     * experiment's treatment get the serving version.
     */
    public Assignment assign(String userId) {
        Split current = split;
        Serving active = serving();
        if (current == null || userId == null) {
            return new Assignment(active, null, Variant.CONTROL);
        }
        Variant variant = current.variantOf(userId);
        return new Assignment(variant == Variant.TREATMENT ? current.treatment() : active, current, variant);
    }

    /** The running experiment on this instance, or null. */
    public Split split() {
        return split;
    }

    /** Starts or, with null, ends the experiment on this instance. */
    public void split(Split next) {
        split = next;
    }

    /** Every version whose collection follows catalog changes: the serving one first. */
    public List<Serving> targets() {
        List<Serving> all = new ArrayList<>(1 + maintained.size());
        all.add(serving());
        all.addAll(maintained.values());
        return all;
    }

    public boolean loaded() {
        return serving != null;
    }

    public int dimension() {
        return serving().model().dimension();
    }

    public String version() {
        return serving().version();
    }

    public List<float[]> embedAll(List<String> texts) {
        return serving().embedAll(texts);
    }
}

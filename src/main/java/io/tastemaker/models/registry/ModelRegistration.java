package io.tastemaker.models.registry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.langchain4j.model.embedding.EmbeddingModel;
import io.tastemaker.api.FieldError;
import io.tastemaker.api.InvalidInputException;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * A request to register a model version, validated field by field:
 * {@code {"version", "kind": "onnx", "modelPath", "tokenizerPath", "pooling"}} or
 * {@code {"version", "kind": "remote", "baseUrl", "modelName", "apiKeyEnv"}} or
 * {@code {"version", "kind": "adapter", "base", "adapterPath"}}.
 */
public record ModelRegistration(String version, ModelVersion.Kind kind, ModelVersion.Spec spec) {

    private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
    /** Names that are paths under /v1/models themselves. */
    private static final Set<String> RESERVED = Set.of("experiment", "rollback", "fine-tunes");
    public static final String VERSION_RULE = "is required: 1-100 letters, digits, '.', '_' or '-', starting with a letter or digit,"
            + " not one of " + new java.util.TreeSet<>(RESERVED);

    public static boolean validVersion(String version) {
        return version != null && VERSION.matcher(version).matches() && !RESERVED.contains(version);
    }
    private static final Set<String> POOLING = Set.of("MEAN", "CLS");

    /** Parses a request and refuses, field by field, whatever the {@code guard} does not allow. */
    public static ModelRegistration parse(JsonNode body, ModelGuard guard) {
        if (body == null || !body.isObject()) {
            throw new InvalidInputException("body", "must be a JSON object: {\"version\": ..., \"kind\": \"onnx\" | \"remote\", ...}");
        }
        List<FieldError> errors = new ArrayList<>();
        String version = text(body, "version");
        if (!validVersion(version)) {
            errors.add(new FieldError("version", VERSION_RULE));
        }
        String kindName = text(body, "kind");
        ModelVersion.Kind kind = null;
        if ("onnx".equals(kindName)) {
            kind = ModelVersion.Kind.ONNX;
        } else if ("remote".equals(kindName)) {
            kind = ModelVersion.Kind.REMOTE;
        } else if ("adapter".equals(kindName)) {
            kind = ModelVersion.Kind.ADAPTER;
        } else {
            errors.add(new FieldError("kind", "must be onnx (an exported model on disk), remote (an OpenAI-compatible "
                    + "embeddings endpoint) or adapter (a fine-tuned adapter over a registered version), got "
                    + (kindName == null ? "nothing" : "'" + kindName + "'")));
        }
        ModelVersion.Spec spec = null;
        if (kind == ModelVersion.Kind.ONNX) {
            String model = text(body, "modelPath");
            String tokenizer = text(body, "tokenizerPath");
            String pooling = text(body, "pooling") == null ? "MEAN" : text(body, "pooling").toUpperCase(Locale.ROOT);
            if (!POOLING.contains(pooling)) {
                errors.add(new FieldError("pooling", "must be MEAN or CLS, as the model was trained"));
            }
            spec = ModelVersion.Spec.onnx(model, tokenizer, pooling);
        } else if (kind == ModelVersion.Kind.REMOTE) {
            String baseUrl = text(body, "baseUrl");
            String modelName = text(body, "modelName");
            String apiKeyEnv = text(body, "apiKeyEnv");
            if (modelName == null) {
                errors.add(new FieldError("modelName", "is required: the served model's name"));
            }
            spec = ModelVersion.Spec.remote(baseUrl, modelName, apiKeyEnv);
        } else if (kind == ModelVersion.Kind.ADAPTER) {
            String base = text(body, "base");
            String adapterPath = text(body, "adapterPath");
            if (base == null) {
                errors.add(new FieldError("base", "is required: the registered version the adapter was trained over"));
            }
            spec = ModelVersion.Spec.adapter(base, adapterPath);
        }
        if (spec != null) {
            errors.addAll(guard.check(kind, spec));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        return new ModelRegistration(version, kind, spec);
    }

    /**
     * Loads the model and embeds one text, so a version that cannot embed is refused with the field
     * to fix. What a remote endpoint answered is never repeated: only its status or a generic reason.
     */
    EmbeddingModel load(ModelLoader loader, Function<String, EmbeddingModel> bases) {
        List<FieldError> refused = loader.guard().check(kind, spec);
        if (!refused.isEmpty()) {
            throw new InvalidInputException(refused);
        }
        String field = switch (kind) {
            case ONNX -> "modelPath";
            case ADAPTER -> "adapterPath";
            default -> "baseUrl";
        };
        if (kind == ModelVersion.Kind.ADAPTER) {
            try {
                bases.apply(spec.base());
            } catch (RuntimeException e) {
                throw new InvalidInputException("base", e.getMessage());
            }
        }
        try {
            EmbeddingModel model = loader.load(kind, spec, bases, null);
            if (model.embed("probe").content().vector().length == 0) {
                throw new IllegalStateException("it returned an empty vector");
            }
            return model;
        } catch (RuntimeException e) {
            throw new InvalidInputException(field, "the model could not embed a text: " + e.getMessage());
        }
    }

    private static String text(JsonNode body, String field) {
        JsonNode value = body.get(field);
        return value == null || !value.isTextual() || value.asText().isBlank() ? null : value.asText().trim();
    }
}

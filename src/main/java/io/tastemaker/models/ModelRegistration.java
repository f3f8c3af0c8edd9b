package io.tastemaker.models;

import com.fasterxml.jackson.databind.JsonNode;
import dev.langchain4j.model.embedding.EmbeddingModel;
import io.tastemaker.api.FieldError;
import io.tastemaker.api.InvalidInputException;

import java.nio.file.Files;
import java.nio.file.Path;
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
    static final String VERSION_RULE = "is required: 1-100 letters, digits, '.', '_' or '-', starting with a letter or digit,"
            + " not one of " + new java.util.TreeSet<>(RESERVED);

    static boolean validVersion(String version) {
        return version != null && VERSION.matcher(version).matches() && !RESERVED.contains(version);
    }
    private static final Set<String> POOLING = Set.of("MEAN", "CLS");

    public static ModelRegistration parse(JsonNode body) {
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
            readable(errors, "modelPath", model);
            readable(errors, "tokenizerPath", tokenizer);
            if (!POOLING.contains(pooling)) {
                errors.add(new FieldError("pooling", "must be MEAN or CLS, as the model was trained"));
            }
            spec = ModelVersion.Spec.onnx(model, tokenizer, pooling);
        } else if (kind == ModelVersion.Kind.REMOTE) {
            String baseUrl = text(body, "baseUrl");
            String modelName = text(body, "modelName");
            String apiKeyEnv = text(body, "apiKeyEnv");
            if (baseUrl == null || !(baseUrl.startsWith("http://") || baseUrl.startsWith("https://"))) {
                errors.add(new FieldError("baseUrl", "is required: the http(s) root of an OpenAI-compatible server, e.g. http://tei:8080/v1"));
            }
            if (modelName == null) {
                errors.add(new FieldError("modelName", "is required: the served model's name"));
            }
            if (apiKeyEnv != null && !apiKeyEnv.matches("[A-Z_][A-Z0-9_]*")) {
                errors.add(new FieldError("apiKeyEnv", "must name an environment variable (the key itself is never stored)"));
            }
            spec = ModelVersion.Spec.remote(baseUrl, modelName, apiKeyEnv);
        } else if (kind == ModelVersion.Kind.ADAPTER) {
            String base = text(body, "base");
            String adapterPath = text(body, "adapterPath");
            if (base == null) {
                errors.add(new FieldError("base", "is required: the registered version the adapter was trained over"));
            }
            readable(errors, "adapterPath", adapterPath);
            spec = ModelVersion.Spec.adapter(base, adapterPath);
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        return new ModelRegistration(version, kind, spec);
    }

    /** Loads the model and embeds one text, so a version that cannot embed is refused with the field to fix. */
    EmbeddingModel load(Function<String, EmbeddingModel> bases) {
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
            EmbeddingModel model = ModelLoader.load(kind, spec, bases, null);
            if (model.embed("probe").content().vector().length == 0) {
                throw new IllegalStateException("it returned an empty vector");
            }
            return model;
        } catch (RuntimeException e) {
            throw new InvalidInputException(field, "the model could not embed a text: " + e.getMessage());
        }
    }

    private static void readable(List<FieldError> errors, String field, String path) {
        if (path == null) {
            errors.add(new FieldError(field, "is required: a path every instance can read"));
        } else if (!Files.isReadable(Path.of(path))) {
            errors.add(new FieldError(field, "is not a readable file: " + path));
        }
    }

    private static String text(JsonNode body, String field) {
        JsonNode value = body.get(field);
        return value == null || !value.isTextual() || value.asText().isBlank() ? null : value.asText().trim();
    }
}

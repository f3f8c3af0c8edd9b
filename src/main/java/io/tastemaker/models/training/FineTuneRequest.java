package io.tastemaker.models.training;

import com.fasterxml.jackson.databind.JsonNode;
import io.tastemaker.api.FieldError;
import io.tastemaker.api.InvalidInputException;
import io.tastemaker.models.registry.ModelRegistration;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code {"version", "epochs"?, "temperature"?, "learningRate"?, "weightDecay"?, "batchSize"?, "logQ"?, "minWeight"?,
 * "cutOff"?}}:
 * the defaults are the recipe the Beauty validation split chose (docs/models-and-quality.md, "Fine-tuning"), which
 * {@code evaluate --fine-tune} measures by default: τ 0.1, learning rate 0.001, 6 epochs, batch 512,
 * no weight decay, logQ correction 1, pairs of each item and its next two (the second weighted 0.8).
 * {@code minWeight} leaves out pairs weighted below it (0.9: only each item and the next one).
 * {@code cutOff} (an ISO instant) learns only from engagement before it; absent, the gate's rule
 * chooses it ({@code tastemaker.models.gate.*}), so the gate can judge the adapter on what came after.
 */
public record FineTuneRequest(String version, AdapterTrainer.Settings settings, double minWeight, Instant cutOff) {

    static final double TEMPERATURE = 0.1;
    static final double LEARNING_RATE = 0.001;
    static final int EPOCHS = 6;
    static final int BATCH = 512;
    static final double LOG_Q = 1;
    /** How the pairs are built (not a request field: the recipe measured, as one). */
    static final int PAIR_WINDOW = 2;
    static final double PAIR_DECAY = 0.8;

    public static FineTuneRequest parse(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw new InvalidInputException("body", "must be a JSON object: {\"version\": \"my-fine-tune\"}");
        }
        List<FieldError> errors = new ArrayList<>();
        String version = body.path("version").isTextual() ? body.get("version").asText().trim() : null;
        if (!ModelRegistration.validVersion(version)) {
            errors.add(new FieldError("version", ModelRegistration.VERSION_RULE + ": the new version's name"));
        }
        double temperature = number(body, "temperature", TEMPERATURE, 0.001, 10, errors);
        double learningRate = number(body, "learningRate", LEARNING_RATE, 1e-6, 1, errors);
        double weightDecay = number(body, "weightDecay", 0, 0, 1, errors);
        int epochs = (int) number(body, "epochs", EPOCHS, 1, 100, errors);
        int batch = (int) number(body, "batchSize", BATCH, 2, 8192, errors);
        double logQ = number(body, "logQ", LOG_Q, 0, 10, errors);
        double minWeight = number(body, "minWeight", 0, 0, 1, errors);
        Instant cutOff = null;
        JsonNode cut = body.get("cutOff");
        if (cut != null && !cut.isNull()) {
            try {
                cutOff = cut.isTextual() ? Instant.parse(cut.asText()) : null;
            } catch (DateTimeParseException e) {
                cutOff = null;
            }
            if (cutOff == null) {
                errors.add(new FieldError("cutOff", "must be an ISO instant, e.g. 2026-12-01T00:00:00Z"));
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        return new FineTuneRequest(version, new AdapterTrainer.Settings(temperature, learningRate, epochs, batch,
                weightDecay, 42, false, logQ), minWeight, cutOff);
    }

    private static double number(JsonNode body, String field, double fallback, double min, double max, List<FieldError> errors) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (!value.isNumber() || value.asDouble() < min || value.asDouble() > max) {
            errors.add(new FieldError(field, "must be a number between " + min + " and " + max));
            return fallback;
        }
        return value.asDouble();
    }
}

package io.tastemaker.models;

import com.fasterxml.jackson.databind.JsonNode;
import io.tastemaker.api.FieldError;
import io.tastemaker.api.InvalidInputException;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code {"version", "epochs"?, "temperature"?, "learningRate"?, "weightDecay"?, "batchSize"?, "minWeight"?}}:
 * the defaults are the hyper-parameters the Beauty validation split chose (README, "Fine-tuning").
 */
public record FineTuneRequest(String version, AdapterTrainer.Settings settings, double minWeight) {

    static final double TEMPERATURE = 0.1;
    static final double LEARNING_RATE = 0.001;
    static final int EPOCHS = 4;
    static final int BATCH = 512;

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
        double minWeight = number(body, "minWeight", 1, 0, 1e9, errors);
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        return new FineTuneRequest(version, new AdapterTrainer.Settings(temperature, learningRate, epochs, batch,
                weightDecay, 42), minWeight);
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

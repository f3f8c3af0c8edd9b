package io.tastemaker.models.experiments;

import com.fasterxml.jackson.databind.JsonNode;
import io.tastemaker.api.FieldError;
import io.tastemaker.api.InvalidInputException;
import io.tastemaker.models.registry.ModelRegistration;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code {"control"?, "treatment", "percent"}}: serve {@code treatment} to {@code percent} of the
 * shoppers (0.01 to 100, in steps of 0.01); {@code control}, when given, must name the active version.
 */
public record ExperimentRequest(String control, String treatment, int basisPoints) {

    public static ExperimentRequest parse(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw new InvalidInputException("body", "must be a JSON object: {\"treatment\": \"my-fine-tune\", \"percent\": 10}");
        }
        List<FieldError> errors = new ArrayList<>();
        String control = null;
        JsonNode controlNode = body.get("control");
        if (controlNode != null && !controlNode.isNull()) {
            if (!controlNode.isTextual() || !ModelRegistration.validVersion(controlNode.asText())) {
                errors.add(new FieldError("control", "must be a version name (the active version), or left out"));
            } else {
                control = controlNode.asText();
            }
        }
        JsonNode treatmentNode = body.get("treatment");
        String treatment = null;
        if (treatmentNode == null || !treatmentNode.isTextual() || !ModelRegistration.validVersion(treatmentNode.asText())) {
            errors.add(new FieldError("treatment", "is required: the ready version to test against the active one"));
        } else {
            treatment = treatmentNode.asText();
        }
        JsonNode percent = body.get("percent");
        int basisPoints = 0;
        if (percent == null || !percent.isNumber() || percent.asDouble() <= 0 || percent.asDouble() > 100
                || Math.abs(percent.asDouble() * 100 - Math.rint(percent.asDouble() * 100)) > 1e-6) {
            errors.add(new FieldError("percent", "is required: the treatment's share of shoppers, more than 0 and at most"
                    + " 100, in steps of 0.01"));
        } else {
            basisPoints = (int) Math.rint(percent.asDouble() * 100);
        }
        if (control != null && control.equals(treatment)) {
            errors.add(new FieldError("treatment", "must differ from control"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        return new ExperimentRequest(control, treatment, basisPoints);
    }
}

package io.tastemaker.streams;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tastemaker.api.InvalidInputException;

import java.io.UncheckedIOException;

/** Record values on our topics: a JSON object with a {@code schema} version, read and written alike. */
public final class VersionedJson {

    private VersionedJson() {
    }

    /** The record's JSON object; throws {@link InvalidInputException} if it is not JSON, not an object or of another schema. */
    public static JsonNode read(ObjectMapper json, String value, int schema) {
        JsonNode node;
        try {
            node = json.readTree(value);
        } catch (JsonProcessingException e) {
            throw new InvalidInputException("value", "is not JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw new InvalidInputException("value", "must be a JSON object");
        }
        if (node.path("schema").asInt(-1) != schema) {
            throw new InvalidInputException("schema", "must be " + schema + ", got " + node.path("schema"));
        }
        return node;
    }

    public static String write(ObjectMapper json, JsonNode node) {
        try {
            return json.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package io.tastemaker.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.std.JsonNodeDeserializer;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.util.Iterator;
import java.util.Map;

/**
 * Every JSON the service reads (request bodies, NDJSON imports, topic records) is refused when
 * a string in it, or a field name, holds text no endpoint accepts ({@link SafeText}); the
 * error carries the JSON path, so the problem answer names the field ({@code events[2].userId}).
 */
@Singleton
public class SafeJson implements ObjectMapperCustomizer {

    @Override
    public void customize(ObjectMapper mapper) {
        SimpleModule module = new SimpleModule("tastemaker-safe-text");
        module.addDeserializer(String.class, new SafeStrings());
        module.addDeserializer(JsonNode.class, new SafeTrees());
        mapper.registerModule(module);
    }

    private static final class SafeStrings extends StringDeserializer {
        @Override
        public String deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            String value = super.deserialize(p, ctxt);
            String problem = SafeText.problem(value);
            if (problem != null) {
                throw InvalidFormatException.from(p, problem, value, String.class);
            }
            return value;
        }
    }

    private static final class SafeTrees extends JsonDeserializer<JsonNode> {
        @Override
        @SuppressWarnings("unchecked")
        public JsonNode deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            JsonNode tree = ((JsonDeserializer<JsonNode>) (JsonDeserializer<?>) JsonNodeDeserializer.getDeserializer(JsonNode.class))
                    .deserialize(p, ctxt);
            check(tree, p);
            return tree;
        }

        @Override
        public JsonNode getNullValue(DeserializationContext ctxt) {
            return com.fasterxml.jackson.databind.node.NullNode.getInstance();
        }

        private static void check(JsonNode node, JsonParser p) throws JsonMappingException {
            if (node.isTextual()) {
                String problem = SafeText.problem(node.textValue());
                if (problem != null) {
                    throw InvalidFormatException.from(p, problem, node.textValue(), String.class);
                }
            } else if (node.isArray()) {
                for (int i = 0; i < node.size(); i++) {
                    try {
                        check(node.get(i), p);
                    } catch (JsonMappingException e) {
                        e.prependPath(node, i);
                        throw e;
                    }
                }
            } else if (node.isObject()) {
                for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
                    Map.Entry<String, JsonNode> field = fields.next();
                    String nameProblem = SafeText.problem(field.getKey());
                    if (nameProblem != null) {
                        throw InvalidFormatException.from(p, "field names " + nameProblem, field.getKey(), String.class);
                    }
                    try {
                        check(field.getValue(), p);
                    } catch (JsonMappingException e) {
                        e.prependPath(node, field.getKey());
                        throw e;
                    }
                }
            }
        }
    }
}

package io.tastemaker.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * One operation of the running service's OpenAPI document: what the access and fuzzing tests
 * enumerate, so a new endpoint is covered the moment it exists.
 *
 * @param roles       the scopes of its security requirement: the roles it admits
 * @param contentType the first media type its request body declares, null without a body
 */
public record ApiOperation(String method, String path, Set<String> roles, List<String> queryParameters,
                           String contentType) {

    private static final Set<String> METHODS = Set.of("get", "post", "put", "delete", "patch");

    public boolean hasBody() {
        return contentType != null;
    }

    @Override
    public String toString() {
        return method + " " + path;
    }

    /** Every operation of the running service (read from the management port). */
    public static List<ApiOperation> all() {
        JsonNode paths;
        try {
            paths = new ObjectMapper().readTree(TestKeys.management().get("/q/openapi?format=json").then().statusCode(200)
                    .extract().asString()).get("paths");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<ApiOperation> operations = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> p = paths.fields(); p.hasNext(); ) {
            Map.Entry<String, JsonNode> path = p.next();
            for (Iterator<Map.Entry<String, JsonNode>> m = path.getValue().fields(); m.hasNext(); ) {
                Map.Entry<String, JsonNode> method = m.next();
                if (METHODS.contains(method.getKey())) {
                    operations.add(of(method.getKey(), path.getKey(), method.getValue()));
                }
            }
        }
        return operations;
    }

    private static ApiOperation of(String method, String path, JsonNode operation) {
        Set<String> roles = new TreeSet<>();
        for (JsonNode requirement : operation.path("security")) {
            requirement.fields().forEachRemaining(scheme -> scheme.getValue().forEach(r -> roles.add(r.asText())));
        }
        List<String> query = new ArrayList<>();
        for (JsonNode parameter : operation.path("parameters")) {
            if (parameter.path("in").asText().equals("query")) {
                query.add(parameter.get("name").asText());
            }
        }
        JsonNode content = operation.path("requestBody").path("content");
        String contentType = content.isObject() && content.fieldNames().hasNext() ? content.fieldNames().next() : null;
        return new ApiOperation(method.toUpperCase(), path, roles, query, contentType);
    }
}

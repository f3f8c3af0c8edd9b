package io.tastemaker.security;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.tastemaker.testing.ApiOperation;
import io.tastemaker.testing.TestKeys;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Property-based fuzzing of every operation in the OpenAPI document, as an operator (so every
 * request reaches validation): hostile strings in path and query parameters, broken JSON, wrong
 * types, huge numbers, NUL bytes, lone surrogates, deep nesting and long strings in bodies built
 * from the fields our endpoints read. The property: nothing answers 5xx. Seeded
 * ({@code -Dfuzz.seed=…}, {@code -Dfuzz.requests=…} per operation), so a failure replays exactly;
 * the outcome classes and the slowest answer are printed for the record, not asserted (speed
 * belongs in benchmarks).
 */
@QuarkusTest
@TestProfile(SecurityTests.OwnRuntime.class)
class HostileInputTests {

    /** Strings that have broken services: encodings, injections, sizes, numbers in disguise. */
    private static final List<String> HOSTILE = List.of("", " ", "%00", "a%00b", "%ff%fe", "%ED%A0%80", "%C0%AF",
            "..%2F..%2Fetc%2Fpasswd", "%2e%2e", "%25", "%", "%zz", "%F0%9F%98%80", "%E2%80%AE", "'%20OR%201=1--",
            "%3Cscript%3E", "-1", "0", "99999999999999999999", "1e309", "NaN", "-0", "true", "null", "%5B%5D",
            "%7B%7D", "a".repeat(129), "b".repeat(3000), "x,y,,z", "demo-00001", "feed", "coEngagement:1e999",
            "profile:-5,query:abc", "a1%3A%3A", "%0D%0AX-Injected:%201", "%09", "%20%20", "%E0%A4%A");
    /** Fields our endpoints read, so random bodies get past "is required" into deeper validation. */
    private static final List<String> FIELDS = List.of("events", "eventId", "type", "userId", "productId", "occurredAt",
            "query", "filters", "limit", "exclude", "weights", "rerank", "name", "roles", "rateLimit", "expiresAt",
            "title", "price", "currency", "categoryPath", "tags", "imageUrl", "inStock", "surface", "rules", "action",
            "factor", "match", "value", "position", "startsAt", "endsAt", "priority", "version", "kind", "baseUrl",
            "modelPath", "tokenizerPath", "pooling", "apiKeyEnv", "modelName", "treatment", "percent", "epochs",
            "learningRate", "at", "withoutRuleIds", "sessionId", "boardId", "value", "description", "brand");

    @Test
    void no_operation_answers_5xx_to_hostile_input() throws Exception {
        long seed = Long.getLong("fuzz.seed", 20261205L);
        int perOperation = Integer.getInteger("fuzz.requests", 60);
        Random random = new Random(seed);
        String operator = TestKeys.secret(Roles.OPERATOR);
        Map<String, Integer> outcomes = new TreeMap<>();
        List<String> failures = new ArrayList<>();
        long slowestNanos = 0;
        String slowest = "";
        int requests = 0;
        for (ApiOperation op : ApiOperation.all()) {
            // an operation without input does the same thing every time (a rebuild, a rollback): a few tries do
            int tries = op.queryParameters().isEmpty() && !op.path().contains("{") && !op.hasBody() ? 3 : perOperation;
            for (int i = 0; i < tries; i++) {
                String path = op.path().replaceAll("\\{[^}]+}", pick(random, HOSTILE).isEmpty() ? "x" : pick(random, HOSTILE));
                StringBuilder query = new StringBuilder();
                for (String parameter : op.queryParameters()) {
                    if (random.nextInt(3) > 0) {
                        query.append(query.isEmpty() ? "?" : "&").append(parameter).append('=').append(pick(random, HOSTILE));
                    }
                }
                String body = op.hasBody() ? body(random) : null;
                String contentType = op.hasBody() ? op.contentType() : null;
                long began = System.nanoTime();
                HttpResponse<String> response;
                try {
                    response = SecurityTests.send(op.method(), path + query, contentType, body, operator);
                } catch (IllegalArgumentException unsendable) {
                    continue; // the JDK client refuses to send it (a space in the URI): no server sees such a request
                }
                long took = System.nanoTime() - began;
                requests++;
                outcomes.merge(op.method() + " " + op.path() + " " + response.statusCode(), 1, Integer::sum);
                if (took > slowestNanos) {
                    slowestNanos = took;
                    slowest = op.method() + " " + path + query + " → " + response.statusCode();
                }
                if (response.statusCode() >= 500) {
                    failures.add(op.method() + " " + path + query + " body=" + abbreviate(body) + " → "
                            + response.statusCode() + " " + abbreviate(response.body()));
                }
            }
        }
        Map<Integer, Integer> byStatus = new TreeMap<>();
        outcomes.forEach((k, n) -> byStatus.merge(Integer.parseInt(k.substring(k.lastIndexOf(' ') + 1)), n, Integer::sum));
        System.out.printf("fuzz seed %d: %d requests over %d operations; by status %s; slowest %.0f ms (%s)%n", seed,
                requests, ApiOperation.all().size(), byStatus, slowestNanos / 1e6, slowest);
        assertThat(failures).as("5xx answers (seed %d)", seed).isEmpty();
    }

    private static String body(Random random) {
        switch (random.nextInt(10)) {
            case 0:
                return pick(random, List.of("{", "[1,", "\"unterminated", "{\"a\":}", "nul", "{\"a\":1}}", "\u0000", "{}garbage"));
            case 1:
                return pick(random, List.of("[]", "1", "\"text\"", "null", "true", "-1e400"));
            case 2:
                return "[".repeat(5000) + "]".repeat(5000);
            default:
                return object(random, 0);
        }
    }

    private static String object(Random random, int depth) {
        StringBuilder json = new StringBuilder("{");
        int fields = 1 + random.nextInt(6);
        for (int i = 0; i < fields; i++) {
            if (i > 0) {
                json.append(',');
            }
            json.append('"').append(pick(random, FIELDS)).append("\":").append(value(random, depth));
        }
        return json.append('}').toString();
    }

    private static String value(Random random, int depth) {
        return switch (random.nextInt(depth > 2 ? 9 : 11)) {
            case 0 -> "\"a\\u0000b\"";
            case 1 -> "\"\\ud800\"";
            case 2 -> "\"" + "z".repeat(random.nextInt(20_000)) + "\"";
            case 3 -> pick(random, List.of("1e400", "-1", "0", "9223372036854775808", "3.14", "-0.0", "1E-400"));
            case 4 -> pick(random, List.of("true", "false", "null"));
            case 5 -> "\"" + pick(random, List.of("pin", "click", "boost", "block", "feed", "remote", "onnx", "storefront",
                    "operator", "brand", "2026-12-01T00:00:00Z", "http://169.254.169.254/latest", "../../etc/passwd",
                    "demo-00001", "USD", "Home > Lighting", "<img src=x>", "DROP TABLE x;")) + "\"";
            case 6 -> "\"\\u202e\\ufeff\\u0007\"";
            case 7 -> "\"😀\"";
            case 8 -> "[]";
            case 9 -> "[" + value(random, depth + 1) + "," + value(random, depth + 1) + "]";
            default -> object(random, depth + 1);
        };
    }

    private static <T> T pick(Random random, List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    private static String abbreviate(String text) {
        return text == null ? "" : text.length() > 300 ? text.substring(0, 300) + "…" : text;
    }
}

package io.tastemaker.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.smallrye.jwt.build.Jwt;
import io.tastemaker.testing.ApiOperation;
import io.tastemaker.testing.TestKeys;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Access as callers meet it, on a runtime of its own (its calls change state freely): every
 * operation of the OpenAPI document against every kind of caller, the documented role matrix,
 * key lifecycle, CORS, rate limits, and hostile input. Plain HTTP, so no default key is added.
 */
@QuarkusTest
@TestProfile(SecurityTests.OwnRuntime.class)
class SecurityTests {

    public static class OwnRuntime implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tastemaker.data-dir", "target/test-data-security",
                    "mp.jwt.verify.publickey.location", "jwt/test-idp-public.pem",
                    "mp.jwt.verify.issuer", IDP,
                    "tastemaker.security.jwt-roles.\"shop-merch\"", "merchandiser",
                    "tastemaker.security.jwt-roles.\"shop-admins\"", "operator");
        }
    }

    static final String IDP = "https://idp.shop.example";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    /** The endpoints of the role table in the operators' page: {@code | `GET /v1/search` | storefront, … |}. */
    private static final Pattern MATRIX_ROW = Pattern.compile("^\\| `(GET|POST|PUT|DELETE) (/\\S+)` \\| ([a-z, -]+) \\|$");

    private String operator;

    @BeforeEach
    void operatorKey() {
        operator = TestKeys.secret(Roles.OPERATOR);
    }

    @Test
    void every_operation_declares_its_roles_and_the_operators_page_lists_exactly_them() throws IOException {
        Map<String, Set<String>> declared = new TreeMap<>();
        for (ApiOperation op : operations()) {
            assertThat(op.roles()).as("%s declares no role: every endpoint needs @RolesAllowed", op).isNotEmpty();
            assertThat(Roles.ALL).as("%s declares unknown roles", op).containsAll(op.roles());
            declared.put(op.toString(), op.roles());
        }
        Map<String, Set<String>> documented = new TreeMap<>();
        for (String line : Files.readAllLines(Path.of("docs/security.md"))) {
            Matcher row = MATRIX_ROW.matcher(line);
            if (row.matches()) {
                documented.put(row.group(1) + " " + row.group(2), new TreeSet<>(List.of(row.group(3).split(", "))));
            }
        }
        assertThat(documented).as("docs/security.md role matrix vs the running service").isEqualTo(declared);
    }

    @Test
    void every_operation_refuses_the_anonymous_the_wrong_role_and_dead_keys_and_serves_its_roles() throws Exception {
        Map<String, String> keyOf = new TreeMap<>();
        for (String role : Roles.ALL) {
            keyOf.put(role, createKey("matrix-" + role, List.of(role), null).get("secret").asText());
        }
        String revoked = createKey("matrix-revoked", List.of(Roles.OPERATOR), null).get("secret").asText();
        long revokedId = keyId(revoked);
        assertThat(send("DELETE", "/v1/admin/keys/" + revokedId, null, null, operator).statusCode()).isEqualTo(200);
        String expired = createKey("matrix-expired", List.of(Roles.OPERATOR), Instant.now().plusSeconds(2))
                .get("secret").asText();
        await().atMost(Duration.ofSeconds(20)).until(() -> send("GET", "/v1/admin/keys", null, null, expired).statusCode() == 401);

        List<String> wrong = new ArrayList<>();
        int calls = 0;
        for (ApiOperation op : operations()) {
            expect(wrong, op, "no key", call(op, null), 401);
            expect(wrong, op, "revoked key", call(op, revoked), 401);
            expect(wrong, op, "expired key", call(op, expired), 401);
            calls += 3;
            for (String role : Roles.ALL) {
                int status = call(op, keyOf.get(role));
                calls++;
                boolean admitted = op.roles().contains(role) || role.equals(Roles.OPERATOR);
                if (!admitted) {
                    expect(wrong, op, role, status, 403);
                } else if (status == 401 || status == 403 || status >= 500) {
                    wrong.add(op + " as " + role + ": " + status + ", expected it served");
                }
            }
        }
        assertThat(wrong).as("role matrix violations over %d calls", calls).isEmpty();
    }

    @Test
    void embedded_keys_are_kept_in_files_only_their_owner_can_read() throws Exception {
        Path keys = Path.of("target/test-data-security/keys");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keys))).isEqualTo("rwx------");
        for (String role : List.of(Roles.OPERATOR, Roles.STOREFRONT)) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keys.resolve(role)))).isEqualTo("rw-------");
            assertThat(Files.readString(keys.resolve(role)).strip()).matches("tm_live_[A-Za-z0-9_-]{43}");
        }
        String storefront = TestKeys.secret(Roles.STOREFRONT);
        assertThat(send("GET", "/v1/users/someone/feed", null, null, storefront).statusCode()).isEqualTo(200);
        assertThat(send("GET", "/v1/admin/keys", null, null, storefront).statusCode()).isEqualTo(403);
    }

    @Test
    void a_created_key_works_is_listed_without_its_secret_and_is_refused_once_revoked() throws Exception {
        JsonNode created = createKey("lifecycle", List.of(Roles.MERCHANDISER), null);
        String secret = created.get("secret").asText();
        assertThat(secret).startsWith(created.get("prefix").asText());
        assertThat(created.get("createdBy").asText()).startsWith("key:embedded-operator#");
        assertThat(send("GET", "/v1/merchandising/rules", null, null, secret).statusCode()).isEqualTo(200);

        HttpResponse<String> list = send("GET", "/v1/admin/keys", null, null, operator);
        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(list.body()).doesNotContain(secret).contains("\"lifecycle\"");
        for (JsonNode key : JSON.readTree(list.body())) {
            assertThat(key.get("secret").isNull()).as("listed key %s", key.get("name")).isTrue();
        }

        assertThat(send("DELETE", "/v1/admin/keys/" + created.get("id").asLong(), null, null, operator).statusCode())
                .isEqualTo(200);
        HttpResponse<String> refused = send("GET", "/v1/merchandising/rules", null, null, secret);
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(refused.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
    }

    @Test
    void a_key_with_a_bad_role_or_name_is_refused_naming_each_field() throws Exception {
        HttpResponse<String> bad = send("POST", "/v1/admin/keys", "application/json",
                "{\"name\":\"\",\"roles\":[\"root\"],\"rateLimit\":0}", operator);
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(bad.body()).findValuesAsText("field")).containsExactlyInAnyOrder("name", "roles[0]", "rateLimit");
    }

    @Test
    void browsers_may_call_only_from_the_configured_origins() throws Exception {
        HttpResponse<String> stranger = preflight("https://evil.example");
        assertThat(stranger.statusCode()).isEqualTo(403);
        assertThat(stranger.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        HttpResponse<String> shop = preflight("https://shop.example");
        assertThat(shop.statusCode()).isEqualTo(200);
        assertThat(shop.headers().firstValue("Access-Control-Allow-Origin")).hasValue("https://shop.example");
        assertThat(shop.headers().firstValue("Access-Control-Allow-Headers").orElse("").toLowerCase()).contains("authorization");
    }

    @Test
    void a_key_over_its_rate_limit_gets_429_with_retry_after_and_then_is_served_again() throws Exception {
        JsonNode created = JSON.readTree(send("POST", "/v1/admin/keys", "application/json",
                "{\"name\":\"slow\",\"roles\":[\"merchandiser\"],\"rateLimit\":2}", operator).body());
        String secret = created.get("secret").asText();
        HttpResponse<String> limited = null;
        for (int i = 0; i < 20 && limited == null; i++) {
            HttpResponse<String> response = send("GET", "/v1/merchandising/rules", null, null, secret);
            if (response.statusCode() == 429) {
                limited = response;
            } else {
                assertThat(response.statusCode()).isEqualTo(200);
            }
        }
        assertThat(limited).as("20 requests at once with a limit of 2/s").isNotNull();
        long retryAfter = Long.parseLong(limited.headers().firstValue("Retry-After").orElseThrow());
        assertThat(retryAfter).isBetween(1L, 2L);
        assertThat(limited.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        // another key is not held back by this one's budget
        assertThat(send("GET", "/v1/merchandising/rules", null, null, operator).statusCode()).isEqualTo(200);
        Thread.sleep(Duration.ofSeconds(retryAfter).toMillis());
        assertThat(send("GET", "/v1/merchandising/rules", null, null, secret).statusCode()).isEqualTo(200);
    }

    @Test
    void nul_characters_and_unpaired_surrogates_answer_400_naming_the_field() throws Exception {
        String storefront = TestKeys.secret(Roles.STOREFRONT);
        assertField(send("GET", "/v1/search?q=lamp%00", null, null, storefront), "q");
        assertField(send("GET", "/v1/models/v%00", null, null, operator), "version");
        assertField(send("GET", "/v1/users/a%00b/feed", null, null, storefront), "userId");
        assertField(send("POST", "/v1/events", "application/json", "{\"events\":[{\"eventId\":\"e1\",\"type\":\"click\","
                + "\"userId\":\"u\\u0000\",\"productId\":\"p\",\"occurredAt\":\"2026-12-01T00:00:00Z\"}]}", storefront),
                "events[0].userId");
        assertField(send("POST", "/v1/merchandising/rules", "application/json",
                "{\"name\":\"x\\ud800y\",\"action\":\"block\",\"match\":{\"type\":\"brand\",\"value\":\"b\"}}", operator), "name");
        assertField(send("POST", "/v1/merchandising/preview", "application/json",
                "{\"surface\":\"search\",\"query\":\"" + "q".repeat(600) + "\",\"rules\":[]}", operator), "query");
    }

    @Test
    void bodies_must_be_the_declared_type_and_within_the_endpoint_limit() throws Exception {
        List<String> wrong = new ArrayList<>();
        for (ApiOperation op : operations()) {
            if (op.contentType() == null) {
                continue;
            }
            int status = send(op.method(), fill(op.path()), "text/plain", "{}", operator).statusCode();
            if (status != 415) {
                wrong.add(op + " took text/plain: " + status);
            }
        }
        assertThat(wrong).isEmpty();
        String big = "{\"name\":\"" + "x".repeat(300_000) + "\"}";
        assertThat(send("POST", "/v1/merchandising/rules", "application/json", big, operator).statusCode()).isEqualTo(413);
        String manyEvents = "{\"events\":[" + "{},".repeat(1_000_000) + "{}]}";
        assertThat(send("POST", "/v1/events", "application/json", manyEvents, operator).statusCode()).isEqualTo(413);
    }

    @Test
    void only_health_is_anonymous_and_operations_endpoints_are_off_the_api_port() throws Exception {
        for (String path : List.of("/q/metrics", "/q/openapi", "/q/swagger-ui/", "/q/health/ready")) {
            assertThat(send("GET", path, null, null, operator).statusCode()).as("API port %s", path).isEqualTo(404);
        }
        TestKeys.management().get("/q/health/ready").then().statusCode(200);
        TestKeys.management().get("/q/health/live").then().statusCode(200);
    }

    @Test
    void the_widget_and_placeholder_tiles_need_no_key_and_the_demo_shop_exists_only_with_the_demo_data() throws Exception {
        HttpResponse<String> widget = send("GET", "/widget/v1.js", null, null, null);
        assertThat(widget.statusCode()).isEqualTo(200);
        assertThat(widget.body()).contains("window.Tastemaker");
        HttpResponse<String> tile = send("GET", "/images/placeholder.svg?productId=p-1&title=Arc%20Lamp&category=Lamps",
                null, null, null);
        assertThat(tile.statusCode()).isEqualTo(200);
        assertThat(tile.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("image/svg+xml"));
        assertThat(tile.body()).startsWith("<svg").contains(">AL</text>");
        assertField(send("GET", "/images/placeholder.svg?title=Arc", null, null, null), "productId");
        assertField(send("GET", "/images/placeholder.svg?productId=-no", null, null, null), "productId");
        assertField(send("GET", "/images/placeholder.svg?productId=p-1&title=" + "t".repeat(301), null, null, null), "title");
        // this runtime has no demo data: no demo shop, and so no page that hands out its storefront key
        for (String path : List.of("/shop", "/shop/shop.js")) {
            assertThat(send("GET", path, null, null, null).statusCode()).as(path).isEqualTo(404);
        }
    }

    @Test
    void the_console_is_anonymous_static_files_and_me_names_each_key_and_its_roles() throws Exception {
        HttpResponse<String> entrance = send("GET", "/console", null, null, null);
        assertThat(entrance.statusCode()).isBetween(301, 308);
        assertThat(entrance.headers().firstValue("Location")).hasValueSatisfying(v -> assertThat(v).endsWith("/console/"));
        HttpResponse<String> page = send("GET", "/console/", null, null, null);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<main").contains("app.js").doesNotContain("tm_live_");
        for (String file : List.of("app.js", "console.css")) {
            assertThat(send("GET", "/console/" + file, null, null, null).statusCode()).as(file).isEqualTo(200);
        }

        assertThat(send("GET", "/v1/me", null, null, null).statusCode()).isEqualTo(401);
        String maya = createKey("maya", List.of(Roles.MERCHANDISER), null).get("secret").asText();
        JsonNode me = JSON.readTree(send("GET", "/v1/me", null, null, maya).body());
        assertThat(me.get("actor").asText()).matches("key:maya#\\d+");
        assertThat(me.get("roles")).extracting(JsonNode::asText).containsExactly(Roles.MERCHANDISER);
        JsonNode operatorMe = JSON.readTree(send("GET", "/v1/me", null, null, operator).body());
        assertThat(operatorMe.get("roles")).extracting(JsonNode::asText).containsExactlyElementsOf(Roles.ALL);
        String storefront = TestKeys.secret(Roles.STOREFRONT);
        assertThat(JSON.readTree(send("GET", "/v1/me", null, null, storefront).body()).get("roles"))
                .extracting(JsonNode::asText).containsExactly(Roles.STOREFRONT);
    }

    @Test
    void people_signed_in_at_the_shops_identity_provider_get_the_roles_their_groups_map_to() throws Exception {
        PrivateKey idp = privateKey("jwt/test-idp-private.pem");
        String maya = Jwt.issuer(IDP).upn("maya@shop.example").groups(Set.of("shop-merch", "everyone")).expiresIn(300).sign(idp);
        assertThat(send("GET", "/v1/merchandising/rules", null, null, maya).statusCode()).isEqualTo(200);
        assertThat(send("GET", "/v1/admin/keys", null, null, maya).statusCode()).isEqualTo(403);
        HttpResponse<String> rule = send("POST", "/v1/merchandising/rules", "application/json",
                "{\"name\":\"jwt rule\",\"action\":\"block\",\"match\":{\"type\":\"brand\",\"value\":\"NoSuchBrand\"}}", maya);
        assertThat(rule.statusCode()).as(rule.body()).isEqualTo(201);
        String audit = send("GET", "/v1/merchandising/rules/" + JSON.readTree(rule.body()).get("id").asLong() + "/audit",
                null, null, maya).body();
        assertThat(JSON.readTree(audit).at("/items/0/actor").asText()).isEqualTo("jwt:maya@shop.example");

        String admin = Jwt.issuer(IDP).upn("ops@shop.example").groups("shop-admins").expiresIn(300).sign(idp);
        assertThat(send("GET", "/v1/admin/keys", null, null, admin).statusCode()).isEqualTo(200);
        String intern = Jwt.issuer(IDP).upn("intern@shop.example").groups("shop-intern").expiresIn(300).sign(idp);
        assertThat(send("GET", "/v1/merchandising/rules", null, null, intern).statusCode()).isEqualTo(403);

        String forged = Jwt.issuer(IDP).upn("mallory").groups("shop-admins").expiresIn(300)
                .sign(privateKey("jwt/stranger-private.pem"));
        String otherIssuer = Jwt.issuer("https://idp.elsewhere.example").upn("maya").groups("shop-merch").expiresIn(300).sign(idp);
        String expired = Jwt.issuer(IDP).upn("maya").groups("shop-merch").issuedAt(Instant.now().minusSeconds(7200))
                .expiresAt(Instant.now().minusSeconds(3600)).sign(idp);
        for (String refused : List.of(forged, otherIssuer, expired, "not.a.token")) {
            assertThat(send("GET", "/v1/merchandising/rules", null, null, refused).statusCode()).isEqualTo(401);
        }
    }

    // ---- helpers ----------------------------------------------------------------------

    private static PrivateKey privateKey(String resource) throws Exception {
        try (var in = SecurityTests.class.getClassLoader().getResourceAsStream(resource)) {
            String pem = new String(in.readAllBytes(), StandardCharsets.US_ASCII)
                    .replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
        }
    }

    private static List<ApiOperation> operations() {
        List<ApiOperation> operations = ApiOperation.all();
        assertThat(operations).as("operations in the OpenAPI document").hasSizeGreaterThan(30);
        return operations;
    }

    private int call(ApiOperation op, String key) throws Exception {
        String body = op.contentType() == null ? null : op.contentType().contains("ndjson") ? "{}\n" : "{}";
        return send(op.method(), fill(op.path()), op.contentType(), body, key).statusCode();
    }

    private static String fill(String template) {
        return template.replace("{userId}", "matrix-shopper").replace("{productId}", "matrix-product")
                .replace("{version}", "no-such-version").replace("{id}", "999999");
    }

    private static void expect(List<String> wrong, ApiOperation op, String who, int status, int expected) {
        if (status != expected) {
            wrong.add(op + " as " + who + ": " + status + ", expected " + expected);
        }
    }

    private JsonNode createKey(String name, List<String> roles, Instant expiresAt) throws Exception {
        String body = JSON.writeValueAsString(expiresAt == null ? Map.of("name", name, "roles", roles)
                : Map.of("name", name, "roles", roles, "expiresAt", expiresAt.toString()));
        HttpResponse<String> response = send("POST", "/v1/admin/keys", "application/json", body, operator);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return JSON.readTree(response.body());
    }

    private long keyId(String secret) throws Exception {
        for (JsonNode key : JSON.readTree(send("GET", "/v1/admin/keys", null, null, operator).body())) {
            if (secret.startsWith(key.get("prefix").asText()) && key.get("name").asText().equals("matrix-revoked")) {
                return key.get("id").asLong();
            }
        }
        throw new AssertionError("the key just made is not listed");
    }

    private static void assertField(HttpResponse<String> response, String field) throws IOException {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(JSON.readTree(response.body()).findValuesAsText("field")).as(response.body()).contains(field);
    }

    private HttpResponse<String> preflight(String origin) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri("/v1/search?q=lamp")).method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", origin).header("Access-Control-Request-Method", "GET")
                .header("Access-Control-Request-Headers", "authorization").build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> send(String method, String path, String contentType, String body, String key)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static URI uri(String path) {
        int port = RestAssured.port;
        return URI.create("http://localhost:" + port + path);
    }
}

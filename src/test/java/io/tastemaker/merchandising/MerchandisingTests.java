package io.tastemaker.merchandising;

import io.tastemaker.testing.TestKeys;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

/**
 * Merchandising rules on a real PostgreSQL: the REST contract (create, read, list, replace,
 * delete, field-level validation, 404s, If-Match), the audit trail, and propagation: a change
 * committed by someone else (another instance, or SQL) reaches {@link ActiveRules} by polling.
 * Each test works on rules of its own brand, so tests do not see each other's rules.
 */
@QuarkusTest
class MerchandisingTests {

    private static final String PROBLEM = "application/problem+json";
    private static final Duration EVENTUALLY = Duration.ofSeconds(30);

    @Inject
    ActiveRules active;

    private final String brand = "Merch" + UUID.randomUUID().toString().substring(0, 8);

    @Test
    void a_rule_round_trips_through_create_read_list_replace_and_delete() {
        ExtractableResponse<Response> created = given().contentType(ContentType.JSON).header("X-Actor", "maya")
                .body(Map.of("name", "Spring campaign", "action", "boost",
                        "match", Map.of("type", "brand", "value", brand), "factor", 1.5,
                        "surfaces", List.of("search", "feed"), "startsAt", "2026-03-01T00:00:00Z",
                        "endsAt", "2099-04-01T00:00:00+02:00", "priority", 10, "note", "ticket MER-12"))
                .post("/v1/merchandising/rules")
                .then().statusCode(201)
                .header("ETag", "\"1\"")
                .body("name", equalTo("Spring campaign"))
                .body("action", equalTo("boost"))
                .body("match.type", equalTo("brand"))
                .body("match.value", equalTo(brand))
                .body("factor", equalTo(1.5f))
                .body("position", nullValue())
                .body("surfaces", equalTo(List.of("feed", "search")))
                .body("startsAt", equalTo("2026-03-01T00:00:00Z"))
                .body("endsAt", equalTo("2099-03-31T22:00:00Z"))
                .body("priority", equalTo(10))
                .body("enabled", equalTo(true))
                .body("note", equalTo("ticket MER-12"))
                .body("version", equalTo(1))
                .extract();
        long id = created.jsonPath().getLong("id");
        assertThat(created.header("Location")).endsWith("/v1/merchandising/rules/" + id);
        String createdAt = created.jsonPath().getString("createdAt");

        given().get("/v1/merchandising/rules/" + id).then().statusCode(200)
                .header("ETag", "\"1\"")
                .body("name", equalTo("Spring campaign"))
                .body("createdAt", equalTo(createdAt))
                .body("updatedAt", equalTo(createdAt));
        given().get("/v1/merchandising/rules").then().statusCode(200)
                .body("items.find { it.id == " + id + " }.match.value", equalTo(brand));

        // PUT replaces the whole rule: what it leaves out goes back to its default
        given().contentType(ContentType.JSON)
                .body(Map.of("name", "Spring campaign, pinned", "action", "pin", "match", Map.of("type", "product",
                        "value", "sku-" + brand), "position", 3, "enabled", false))
                .put("/v1/merchandising/rules/" + id)
                .then().statusCode(200)
                .header("ETag", "\"2\"")
                .body("id", equalTo((int) id))
                .body("action", equalTo("pin"))
                .body("position", equalTo(3))
                .body("factor", nullValue())
                .body("surfaces", equalTo(List.of()))
                .body("startsAt", nullValue())
                .body("priority", equalTo(0))
                .body("enabled", equalTo(false))
                .body("version", equalTo(2))
                .body("createdAt", equalTo(createdAt));
        given().get("/v1/merchandising/rules/" + id).then().statusCode(200)
                .body("name", equalTo("Spring campaign, pinned"))
                .body("version", equalTo(2));

        given().delete("/v1/merchandising/rules/" + id).then().statusCode(204);
        given().get("/v1/merchandising/rules/" + id).then().statusCode(404).contentType(PROBLEM);
        given().get("/v1/merchandising/rules").then().body("items.id", not(hasItem((int) id)));
    }

    @Test
    void the_active_filter_keeps_rules_enabled_and_in_their_window_now() {
        long live = create(boost("live"));
        long disabled = create(with(boost("disabled"), "enabled", false));
        long ended = create(with(with(boost("ended"), "startsAt", "2020-01-01T00:00:00Z"), "endsAt", "2020-02-01T00:00:00Z"));
        long future = create(with(boost("future"), "startsAt", Instant.now().plus(1, ChronoUnit.DAYS).toString()));

        List<Integer> activeIds = given().queryParam("active", "true").get("/v1/merchandising/rules")
                .then().statusCode(200).extract().jsonPath().getList("items.id");
        List<Integer> inactiveIds = given().queryParam("active", "false").get("/v1/merchandising/rules")
                .then().statusCode(200).extract().jsonPath().getList("items.id");

        assertThat(activeIds).contains((int) live).doesNotContain((int) disabled, (int) ended, (int) future);
        assertThat(inactiveIds).contains((int) disabled, (int) ended, (int) future).doesNotContain((int) live);
        given().queryParam("active", "maybe").get("/v1/merchandising/rules").then().statusCode(400)
                .contentType(PROBLEM).body("errors[0].field", equalTo("active"));
    }

    @Test
    void invalid_rules_are_refused_naming_every_wrong_field() {
        Map<String, Object> body = new HashMap<>();
        body.put("action", "bury");
        body.put("factor", 1.5);
        body.put("match", Map.of("type", "colour", "value", "red"));
        body.put("startsAt", "2026-12-01T00:00:00Z");
        body.put("endsAt", "2026-11-01T00:00:00Z");

        given().contentType(ContentType.JSON).body(body).post("/v1/merchandising/rules")
                .then().statusCode(400).contentType(PROBLEM)
                .body("status", equalTo(400))
                .body("errors.field", containsInAnyOrder("name", "factor", "match.type", "endsAt"))
                .body("errors.find { it.field == 'factor' }.message", containsString("between 0 and 1"))
                .body("errors.find { it.field == 'match.type' }.message", containsString("product, brand, category, tag"));

        given().contentType(ContentType.JSON).body(with(boost("too much"), "factor", 101))
                .post("/v1/merchandising/rules").then().statusCode(400).body("errors.field", equalTo(List.of("factor")));
        given().contentType(ContentType.JSON)
                .body(Map.of("name", "pin without a place", "action", "pin", "match", Map.of("type", "product", "value", "p1"),
                        "surfaces", List.of("feed", "homepage"), "priority", 5000))
                .post("/v1/merchandising/rules").then().statusCode(400)
                .body("errors.field", containsInAnyOrder("position", "surfaces[1]", "priority"));
        given().contentType(ContentType.JSON).body(with(boost("typo"), "factr", 2))
                .post("/v1/merchandising/rules").then().statusCode(400).body("errors.field", equalTo(List.of("factr")));
        given().contentType(ContentType.JSON).header("X-Actor", "x".repeat(129)).body(with(boost("bad actor"), "name", ""))
                .post("/v1/merchandising/rules").then().statusCode(400)
                .body("errors.field", containsInAnyOrder("X-Actor", "name"));
        given().contentType(ContentType.JSON).body("[1, 2]").post("/v1/merchandising/rules")
                .then().statusCode(400).body("errors[0].field", equalTo("body"));

        long id = create(boost("valid"));
        given().contentType(ContentType.JSON).body(with(boost("valid"), "factor", 0.5))
                .put("/v1/merchandising/rules/" + id).then().statusCode(400).body("errors[0].field", equalTo("factor"));
        given().get("/v1/merchandising/rules/" + id).then().body("factor", equalTo(2.0f)).body("version", equalTo(1));
    }

    @Test
    void unknown_rules_answer_404_and_malformed_ids_400() {
        long unknown = 987_654_321L;
        given().get("/v1/merchandising/rules/" + unknown).then().statusCode(404).contentType(PROBLEM)
                .body("detail", containsString(String.valueOf(unknown)));
        given().contentType(ContentType.JSON).body(boost("nothing to replace")).put("/v1/merchandising/rules/" + unknown)
                .then().statusCode(404).contentType(PROBLEM);
        given().delete("/v1/merchandising/rules/" + unknown).then().statusCode(404).contentType(PROBLEM);
        given().get("/v1/merchandising/rules/abc").then().statusCode(400).contentType(PROBLEM)
                .body("errors[0].field", equalTo("id"));
    }

    @Test
    void every_change_is_audited_with_the_authenticated_caller_and_whom_it_acted_for() {
        var key = given().contentType(ContentType.JSON).body(Map.of("name", "audit-console", "roles", List.of("merchandiser")))
                .post("/v1/admin/keys").then().statusCode(201).extract().jsonPath();
        String merchandiser = "Bearer " + key.getString("secret");
        String principal = "key:audit-console#" + key.getLong("id");
        long id = given().contentType(ContentType.JSON).header("Authorization", merchandiser).header("X-Actor", "maya")
                .body(boost("audited")).post("/v1/merchandising/rules").then().statusCode(201).extract().jsonPath().getLong("id");
        given().contentType(ContentType.JSON).header("Authorization", merchandiser).header("X-Actor", "leo")
                .body(with(boost("audited"), "factor", 3)).put("/v1/merchandising/rules/" + id).then().statusCode(200);
        given().header("Authorization", merchandiser).delete("/v1/merchandising/rules/" + id).then().statusCode(204);

        given().get("/v1/merchandising/rules/" + id + "/audit").then().statusCode(200)
                .body("items.operation", equalTo(List.of("delete", "update", "create")))
                .body("items.actor", equalTo(List.of(principal, principal + " for leo", principal + " for maya")))
                .body("items.ruleId", equalTo(List.of((int) id, (int) id, (int) id)))
                .body("items[2].before", nullValue())
                .body("items[2].after.factor", equalTo(2.0f))
                .body("items[2].after.version", equalTo(1))
                .body("items[1].before.factor", equalTo(2.0f))
                .body("items[1].after.factor", equalTo(3.0f))
                .body("items[1].after.version", equalTo(2))
                .body("items[0].before.factor", equalTo(3.0f))
                .body("items[0].after", nullValue())
                .body("nextCursor", nullValue());

        // the trail of all rules, newest first, page by page
        ExtractableResponse<Response> first = given().queryParam("limit", 2).get("/v1/merchandising/audit")
                .then().statusCode(200)
                .body("items.operation", equalTo(List.of("delete", "update")))
                .body("items.ruleId", equalTo(List.of((int) id, (int) id)))
                .extract();
        Instant at = Instant.parse(first.jsonPath().getString("items[0].at"));
        assertThat(at).isBetween(Instant.now().minusSeconds(60), Instant.now().plusSeconds(1));
        given().queryParam("limit", 2).queryParam("cursor", first.jsonPath().getString("nextCursor"))
                .get("/v1/merchandising/audit").then().statusCode(200)
                .body("items[0].operation", equalTo("create"))
                .body("items[0].ruleId", equalTo((int) id));
        given().queryParam("limit", 0).get("/v1/merchandising/audit").then().statusCode(400)
                .body("errors[0].field", equalTo("limit"));
    }

    @Test
    void a_replace_with_a_stale_if_match_changes_nothing() throws SQLException {
        long id = create(boost("contended"));
        given().contentType(ContentType.JSON).header("If-Match", "\"1\"").body(with(boost("contended"), "factor", 4))
                .put("/v1/merchandising/rules/" + id).then().statusCode(200).header("ETag", "\"2\"");
        long changes = changeCounter();

        given().contentType(ContentType.JSON).header("If-Match", "\"1\"").body(with(boost("contended"), "factor", 9))
                .put("/v1/merchandising/rules/" + id).then().statusCode(412).contentType(PROBLEM)
                .body("detail", containsString("version 2"));

        given().get("/v1/merchandising/rules/" + id).then().body("factor", equalTo(4.0f)).body("version", equalTo(2));
        given().get("/v1/merchandising/rules/" + id + "/audit").then().body("items.operation", equalTo(List.of("update", "create")));
        assertThat(changeCounter()).isEqualTo(changes);
    }

    @Test
    void this_instance_uses_its_own_change_as_soon_as_the_write_answers() {
        long id = create(boost("local"));
        assertThat(activeRule(id)).hasValueSatisfying(r -> assertThat(r.factor()).isEqualTo(2.0));

        given().contentType(ContentType.JSON).body(with(boost("local"), "factor", 7)).put("/v1/merchandising/rules/" + id)
                .then().statusCode(200);
        assertThat(activeRule(id)).hasValueSatisfying(r -> assertThat(r.factor()).isEqualTo(7.0));

        given().delete("/v1/merchandising/rules/" + id).then().statusCode(204);
        assertThat(activeRule(id)).isEmpty();
    }

    @Test
    void a_change_committed_by_another_writer_reaches_active_rules() throws SQLException {
        // another instance (or an operator with SQL) writes through its own connection, not this app
        long id;
        try (Connection db = connect()) {
            db.setAutoCommit(false);
            id = insertRule(db, "from elsewhere", 3.0);
            bumpChangeCounter(db);
            db.commit();
        }
        await().atMost(EVENTUALLY).untilAsserted(() -> assertThat(activeRule(id))
                .hasValueSatisfying(r -> assertThat(r.name()).isEqualTo("from elsewhere")));
        Rule seen = activeRule(id).orElseThrow();
        assertThat(seen.match()).isEqualTo(new Rule.Match(Rule.Match.Type.BRAND, brand));
        assertThat(seen.factor()).isEqualTo(3.0);

        try (Connection db = connect()) {
            db.setAutoCommit(false);
            try (Statement sql = db.createStatement()) {
                sql.executeUpdate("UPDATE merchandising_rules SET factor = 5 WHERE id = " + id);
            }
            bumpChangeCounter(db);
            db.commit();
        }
        await().atMost(EVENTUALLY).untilAsserted(() -> assertThat(activeRule(id))
                .hasValueSatisfying(r -> assertThat(r.factor()).isEqualTo(5.0)));

        try (Connection db = connect()) {
            db.setAutoCommit(false);
            try (Statement sql = db.createStatement()) {
                sql.executeUpdate("DELETE FROM merchandising_rules WHERE id = " + id);
            }
            bumpChangeCounter(db);
            db.commit();
        }
        await().atMost(EVENTUALLY).untilAsserted(() -> assertThat(activeRule(id)).isEmpty());
    }

    /**
     * Measures, does not assert: commit on another connection → visible in {@link ActiveRules#current()}.
     * The writes come at random moments, so the figures cover every phase of the poll timer.
     */
    @Test
    void propagation_delay_from_commit_to_active_rules_is_measured() throws SQLException {
        int rounds = 40;
        List<Double> delaysMs = new ArrayList<>();
        try (Connection db = connect()) {
            db.setAutoCommit(false);
            long id = insertRule(db, "propagation probe", 1.5);
            bumpChangeCounter(db);
            db.commit();
            await().atMost(EVENTUALLY).until(() -> activeRule(id).isPresent());
            for (int round = 1; round <= rounds; round++) {
                LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(50, 400) * 1_000_000);
                int priority = round;
                try (Statement sql = db.createStatement()) {
                    sql.executeUpdate("UPDATE merchandising_rules SET priority = " + priority + " WHERE id = " + id);
                }
                bumpChangeCounter(db);
                db.commit();
                long committed = System.nanoTime();
                long deadline = committed + EVENTUALLY.toNanos();
                while (activeRule(id).map(Rule::priority).orElse(-1) != priority) {
                    assertThat(System.nanoTime()).as("change %d still not visible", round).isLessThan(deadline);
                    LockSupport.parkNanos(100_000);
                }
                delaysMs.add((System.nanoTime() - committed) / 1e6);
            }
        }
        Collections.sort(delaysMs);
        System.out.printf("Merchandising propagation, commit on another connection -> ActiveRules.current(): "
                        + "n=%d, min %.1f ms, p50 %.1f ms, p90 %.1f ms, max %.1f ms, mean %.1f ms (poll interval %s)%n",
                rounds, delaysMs.get(0), percentile(delaysMs, 0.5), percentile(delaysMs, 0.9),
                delaysMs.get(rounds - 1), delaysMs.stream().mapToDouble(d -> d).average().orElse(0),
                ConfigProvider.getConfig().getOptionalValue("tastemaker.merchandising.poll-interval", String.class)
                        .orElse("250ms"));
    }

    @Test
    void the_rules_api_is_in_the_openapi_document() {
        TestKeys.management().get("/q/openapi?format=json").then().statusCode(200)
                .body("paths.keySet()", hasItem("/v1/merchandising/rules"))
                .body("paths.keySet()", hasItem("/v1/merchandising/rules/{id}"))
                .body("paths.keySet()", hasItem("/v1/merchandising/rules/{id}/audit"))
                .body("paths.keySet()", hasItem("/v1/merchandising/audit"));
    }

    @Test
    void the_database_refuses_rows_the_engine_could_not_apply() throws SQLException {
        try (Connection db = connect(); Statement sql = db.createStatement()) {
            for (String values : List.of("'boost', NULL, NULL", "'bury', 1.5, NULL", "'pin', NULL, NULL", "'block', 2, NULL",
                    "'boost', 2, 3")) {
                assertThatThrownBy(() -> sql.executeUpdate("INSERT INTO merchandising_rules (name, action, factor, position,"
                        + " match_type, match_value, version, created_at, updated_at) VALUES ('bad', " + values
                        + ", 'brand', 'x', 1, now(), now())"))
                        .as(values).isInstanceOf(SQLException.class).hasMessageContaining("violates check constraint");
            }
        }
    }

    // ---- helpers ----

    private Map<String, Object> boost(String name) {
        return Map.of("name", name, "action", "boost", "match", Map.of("type", "brand", "value", brand), "factor", 2.0);
    }

    private static Map<String, Object> with(Map<String, Object> body, String field, Object value) {
        Map<String, Object> copy = new HashMap<>(body);
        copy.put(field, value);
        return copy;
    }

    private static long create(Map<String, Object> body) {
        return create(body, null);
    }

    private static long create(Map<String, Object> body, String actor) {
        var request = given().contentType(ContentType.JSON).body(body);
        if (actor != null) {
            request.header("X-Actor", actor);
        }
        return request.post("/v1/merchandising/rules").then().statusCode(201).extract().jsonPath().getLong("id");
    }

    private Optional<Rule> activeRule(long id) {
        return active.current().stream().filter(r -> r.id() == id).findFirst();
    }

    private static double percentile(List<Double> sorted, double p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
    }

    private static Connection connect() throws SQLException {
        int port = ConfigProvider.getConfig().getValue("tastemaker.embedded.postgres-port", Integer.class);
        return DriverManager.getConnection("jdbc:postgresql://localhost:" + port + "/postgres", "postgres", "");
    }

    private long insertRule(Connection db, String name, double factor) throws SQLException {
        try (PreparedStatement insert = db.prepareStatement("INSERT INTO merchandising_rules (name, action, match_type,"
                + " match_value, factor, version, created_at, updated_at) VALUES (?, 'boost', 'brand', ?, ?, 1, now(), now())"
                + " RETURNING id")) {
            insert.setString(1, name);
            insert.setString(2, brand);
            insert.setDouble(3, factor);
            try (ResultSet rows = insert.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    private static void bumpChangeCounter(Connection db) throws SQLException {
        try (Statement sql = db.createStatement()) {
            sql.executeUpdate("UPDATE merchandising_version SET version = version + 1 WHERE id = 1");
        }
    }

    private static long changeCounter() throws SQLException {
        try (Connection db = connect(); Statement sql = db.createStatement();
             ResultSet rows = sql.executeQuery("SELECT version FROM merchandising_version")) {
            rows.next();
            return rows.getLong(1);
        }
    }
}

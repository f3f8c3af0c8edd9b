package io.tastemaker.console;

import com.deque.html.axecore.results.Results;
import com.deque.html.axecore.selenium.AxeBuilder;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.tastemaker.security.Roles;
import io.tastemaker.streams.ConsumerLoop;
import io.tastemaker.streams.KafkaClients;
import io.tastemaker.streams.Topics;
import jakarta.inject.Inject;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import io.tastemaker.testing.HeadlessChromium;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The console's operations pages in a real headless browser (Debian's chromium and chromedriver,
 * as {@code StorefrontBrowserTests}) against the whole service with the demo data. An operator
 * signs in with a key created through the service, sees the lag, events/s and latency cards fill
 * with numbers and refresh (and stop refreshing while the tab is hidden); a malformed event
 * written to the engagement topic shows up among the dead letters with its reason; a dead letter
 * that is valid now (an earlier bug, since fixed) is re-published with a confirmation and counts
 * once. A merchandiser sees no Operations. axe-core runs in each page. Screenshots go to
 * {@code target/screenshots/console-operations*.png}; time to first render and script+style bytes
 * per page to {@code target/screenshots/console-operations-figures.txt}.
 */
@QuarkusTest
@TestProfile(ConsoleOperationsBrowserTests.Demo.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleOperationsBrowserTests {

    /** The embedded demo, as the README's run command starts it, on a small catalog of its own. */
    public static class Demo implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tastemaker.data-dir", "target/test-data-console-operations",
                    "tastemaker.demo.enabled", "true",
                    "tastemaker.demo.products", "200");
        }
    }

    private static final Path SCREENSHOTS = Path.of("target/screenshots");
    private static final Path FIGURES = SCREENSHOTS.resolve("console-operations-figures.txt");
    private static final String SHOPPER = "demo-maya";

    private static WebDriver browser;
    private static String operatorKey;
    private static String product;

    @Inject
    KafkaClients kafka;

    @Inject
    Topics topics;

    private final String user = "u-console-ops-" + UUID.randomUUID().toString().substring(0, 8);

    @BeforeAll
    static void startBrowser() throws IOException {
        browser = HeadlessChromium.start(1366, 768);
        Files.createDirectories(SCREENSHOTS);
        Files.deleteIfExists(FIGURES);
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @BeforeEach
    void theDemoIsInAndAnOperatorHasAKey() {
        await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofSeconds(1)).until(() ->
                given().get("/v1/users/" + SHOPPER + "/profile").statusCode() == 200
                        && given().get("/v1/users/" + SHOPPER + "/feed?limit=12").jsonPath().getList("items").size() >= 12);
        if (operatorKey == null) {
            operatorKey = given().contentType("application/json")
                    .body(Map.of("name", "ravi", "roles", List.of(Roles.OPERATOR)))
                    .post("/v1/admin/keys").then().statusCode(201).extract().path("secret");
            product = given().get("/v1/users/" + SHOPPER + "/feed?limit=1").jsonPath().getString("items[0].productId");
        }
    }

    @Test
    @Order(1)
    void an_operator_sees_lag_throughput_and_latency_refresh_while_the_tab_is_visible() {
        for (int i = 0; i < 5; i++) {
            postEvent(UUID.randomUUID().toString(), "click");
        }
        signIn(operatorKey, "Ravi");
        assertThat(navLabels()).contains("Operations");
        browser.get(base() + "/console/#/operations");
        waitRendered("/operations");

        String lag = text("[data-figure='lag-" + topics.engagementGroup() + "']");
        assertThat(lag).matches("\\d+");
        assertThat(text("[data-figure='events-accepted']")).matches("[\\d.,]+");
        assertThat(Double.parseDouble(text("[data-figure='events-accepted']").replace(",", ""))).isPositive();
        assertThat(text("#ops-latency")).contains("POST /v1/events");
        assertThat(text("#ops-health")).contains("kafka").contains("closed").contains("UP");
        assertThat(text("#ops-llm")).contains("Not configured");
        screenshot("console-operations");
        axe("operations overview");

        // it refreshes by itself...
        String first = text("#ops-updated");
        wait(Duration.ofSeconds(15)).until(d -> !d.findElement(By.id("ops-updated")).getText().equals(first));
        // ...and stops while the tab is hidden
        js("Object.defineProperty(document, 'visibilityState', {value: 'hidden', configurable: true});"
                + "document.dispatchEvent(new Event('visibilitychange'));");
        sleep(Duration.ofSeconds(1)); // a refresh already on its way may still land
        String hidden = text("#ops-updated");
        sleep(Duration.ofSeconds(7));
        assertThat(text("#ops-updated")).as("no refresh while hidden").isEqualTo(hidden);
        js("Object.defineProperty(document, 'visibilityState', {value: 'visible', configurable: true});"
                + "document.dispatchEvent(new Event('visibilitychange'));");
        wait(Duration.ofSeconds(10)).until(d -> !d.findElement(By.id("ops-updated")).getText().equals(hidden));
    }

    @Test
    @Order(2)
    void a_malformed_event_shows_among_the_dead_letters_with_its_reason_and_a_valid_one_goes_back_once() throws Exception {
        kafka.producer().send(new ProducerRecord<>(topics.engagement(), user, "{\"schema\":1,\"eventId\":\"bad-" + user
                + "\",\"type\":\"teleport\",\"userId\":\"" + user + "\",\"productId\":\"" + product + "\"}")).get();
        // a dead letter of an earlier bug, since fixed: its event is valid now
        RecordMetadata valid = deadLetter(user, event("fixed-" + user, "pin"), "productId: not in the catalog (the bug)");

        signIn(operatorKey, "Ravi");
        String route = "/operations/dead-letters?topic=" + topics.engagementDeadLetters();
        browser.get(base() + "/console/#" + route);
        waitRendered("/operations/dead-letters");
        WebElement malformed = wait(Duration.ofSeconds(60)).until(d -> {
            List<WebElement> rows = d.findElements(By.xpath("//div[@id='dead-letters']//tr[td[normalize-space()='" + user
                    + "'] and contains(., 'teleport')]"));
            if (rows.isEmpty()) {
                d.findElement(By.xpath("//button[text()='Refresh']")).click();
                return null;
            }
            return rows.get(0);
        });
        assertThat(malformed.getText()).contains("type").contains(topics.engagement() + "/");
        screenshot("console-operations-dead-letters");
        axe("dead letters");

        String place = topics.engagementDeadLetters() + "/" + valid.partition() + "@" + valid.offset();
        browser.findElement(By.cssSelector("button[aria-label='Re-publish dead letter " + place + "']")).click();
        WebElement dialog = wait(Duration.ofSeconds(5)).until(d -> d.findElement(By.cssSelector("dialog.confirm[open]")));
        assertThat(dialog.getText()).contains(topics.engagement());
        screenshot("console-operations-republish-confirm");
        dialog.findElement(By.xpath(".//button[text()='Re-publish']")).click();
        wait(Duration.ofSeconds(15)).until(d -> d.findElement(By.id("notice")).getText().contains("Re-published 1 dead letter"));
        // the list is read again: the row says who sent it back
        WebElement row = wait(Duration.ofSeconds(15)).until(d -> d.findElements(By.xpath(
                "//div[@id='dead-letters']//tr[td/code[text()='" + place + "'] and contains(., 'by key:ravi#')]"))
                .stream().findFirst().orElse(null));
        assertThat(row.getText()).contains("for Ravi");
        assertThat(row.findElements(By.xpath(".//button[text()='Re-publish']"))).isEmpty();
        screenshot("console-operations-republished");

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().get("/v1/users/" + user + "/profile").then()
                .statusCode(200).body("events", org.hamcrest.Matchers.equalTo(1)));
        // asked again through the API (another operator, a double click): not sent twice
        given().urlEncodingEnabled(false).contentType("application/json")
                .body(Map.of("deadLetters", List.of(Map.of("topic", topics.engagementDeadLetters(),
                        "partition", valid.partition(), "offset", valid.offset()))))
                .post("/v1/operations/dead-letters:republish").then().statusCode(200)
                .body("deadLetters[0].status", org.hamcrest.Matchers.equalTo("already-republished"));
        postEvent(UUID.randomUUID().toString(), "view"); // a marker applied after anything sent before it
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().get("/v1/users/" + user + "/profile").then()
                .statusCode(200).body("events", org.hamcrest.Matchers.equalTo(2)));
    }

    @Test
    @Order(3)
    void a_merchandiser_sees_no_operations_and_may_not_call_them() {
        String merchandiser = given().contentType("application/json")
                .body(Map.of("name", "maya-ops", "roles", List.of(Roles.MERCHANDISER)))
                .post("/v1/admin/keys").then().statusCode(201).extract().path("secret");
        signIn(merchandiser, null, "key:maya-ops#");
        assertThat(navLabels()).doesNotContain("Operations");
        browser.get(base() + "/console/#/operations");
        wait(Duration.ofSeconds(10)).until(d -> d.findElement(By.id("main")).getText().contains("may not use Operations"));
        Object status = ((JavascriptExecutor) browser).executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                window.tastemakerConsole.api('GET', '/v1/operations/summary').then(() => done(200), p => done(p.status));""");
        assertThat(((Number) status).intValue()).isEqualTo(403);
    }

    @Test
    @Order(4)
    void the_pages_render_fast_stay_small_and_work_on_a_tablet() {
        signIn(operatorKey, "Ravi");
        for (String route : List.of("/operations", "/operations/dead-letters")) {
            browser.get("about:blank");
            browser.get(base() + "/console/#" + route);
            waitRendered(route);
            double rendered = ((Number) js("return performance.getEntriesByName('console-rendered')[0].startTime")).doubleValue();
            long bytes = ((Number) js("""
                    return performance.getEntriesByType('resource').concat(performance.getEntriesByType('navigation'))
                      .filter(e => /\\/console\\/.*\\.(js|css)$/.test(new URL(e.name).pathname))
                      .reduce((n, e) => n + e.decodedBodySize, 0)""")).longValue();
            figure(String.format("%-26s first render %6.0f ms, script+style %6d bytes", "#" + route, rendered, bytes));
            assertThat(bytes).as("script and style of #%s", route).isLessThan(100_000);
        }
        browser.manage().window().setSize(new Dimension(820, 1180));
        try {
            for (String route : List.of("/operations", "/operations/dead-letters")) {
                browser.get("about:blank");
                browser.get(base() + "/console/#" + route);
                waitRendered(route);
                assertThat(js("return document.documentElement.scrollWidth <= innerWidth"))
                        .as("no sideways scrolling on #%s", route).isEqualTo(true);
                screenshot(route.equals("/operations") ? "console-operations-tablet" : "console-operations-dead-letters-tablet");
            }
        } finally {
            browser.manage().window().setSize(new Dimension(1366, 768));
        }
    }

    // ---- helpers ----------------------------------------------------------------------

    private void signIn(String key, String name) {
        signIn(key, name, "key:ravi#");
    }

    private void signIn(String key, String name, String actor) {
        browser.get("about:blank");
        browser.get(base() + "/console/");
        js("sessionStorage.clear()");
        browser.navigate().refresh();
        wait(Duration.ofSeconds(10)).until(d -> !d.findElements(By.id("signin-key")).isEmpty());
        browser.findElement(By.id("signin-key")).sendKeys(key);
        if (name != null) {
            browser.findElement(By.id("signin-name")).sendKeys(name);
        }
        browser.findElement(By.cssSelector("form.signin button[type=submit]")).click();
        wait(Duration.ofSeconds(10)).until(d -> d.findElement(By.id("who")).getText().contains(actor));
    }

    private List<String> navLabels() {
        return browser.findElements(By.cssSelector("#nav a")).stream().map(WebElement::getText).toList();
    }

    private void waitRendered(String route) {
        wait(Duration.ofSeconds(20)).until(d -> route.equals(d.findElement(By.tagName("body")).getDomAttribute("data-rendered")));
    }

    private String text(String css) {
        return browser.findElement(By.cssSelector(css)).getText();
    }

    /** Writes a dead letter as the consumer loop does, headers and all. */
    private RecordMetadata deadLetter(String key, String value, String reason) throws Exception {
        ProducerRecord<String, String> record = new ProducerRecord<>(topics.engagementDeadLetters(), null, key, value);
        record.headers().add(ConsumerLoop.REASON_HEADER, reason.getBytes(StandardCharsets.UTF_8))
                .add("tastemaker.dlq.source", (topics.engagement() + "/0@0").getBytes(StandardCharsets.UTF_8))
                .add("tastemaker.dlq.group", topics.engagementGroup().getBytes(StandardCharsets.UTF_8))
                .add("tastemaker.dlq.at", Instant.now().toString().getBytes(StandardCharsets.UTF_8));
        return kafka.producer().send(record).get();
    }

    private void postEvent(String eventId, String type) {
        given().contentType("application/json").body("{\"events\":[" + event(eventId, type) + "]}").post("/v1/events")
                .then().statusCode(202);
    }

    private String event(String eventId, String type) {
        return "{\"schema\":1,\"eventId\":\"" + eventId + "\",\"type\":\"" + type + "\",\"userId\":\"" + user
                + "\",\"productId\":\"" + product + "\",\"occurredAt\":\"" + Instant.now() + "\"}";
    }

    /** axe-core in the page: no serious or critical violation. */
    private void axe(String page) {
        Results results = new AxeBuilder().withTags(List.of("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"))
                .analyze(browser);
        List<String> bad = results.getViolations().stream()
                .filter(r -> "serious".equals(r.getImpact()) || "critical".equals(r.getImpact()))
                .map(r -> r.getId() + " (" + r.getImpact() + "): " + r.getHelp() + " at " + r.getNodes().stream()
                        .map(n -> String.valueOf(n.getTarget())).toList())
                .toList();
        figure(String.format("axe %-28s %d violations, none serious or critical: %s", page, results.getViolations().size(),
                bad.isEmpty()));
        assertThat(bad).as("axe-core serious/critical violations on the %s page", page).isEmpty();
    }

    private Object js(String script, Object... args) {
        return ((JavascriptExecutor) browser).executeScript(script, args);
    }

    private static WebDriverWait wait(Duration timeout) {
        return HeadlessChromium.waitOn(browser, timeout);
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void screenshot(String name) {
        try {
            Files.write(SCREENSHOTS.resolve(name + ".png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void figure(String line) {
        System.out.println("ConsoleOperationsBrowserTests: " + line);
        try {
            Files.writeString(FIGURES, line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String base() {
        return "http://localhost:" + RestAssured.port;
    }
}

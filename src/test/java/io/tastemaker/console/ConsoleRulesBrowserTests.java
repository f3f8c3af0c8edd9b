package io.tastemaker.console;

import com.deque.html.axecore.results.Results;
import com.deque.html.axecore.selenium.AxeBuilder;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.tastemaker.security.Roles;
import io.tastemaker.testing.TestKeys;
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
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The console's merchandising pages in a real headless browser (Debian's chromium and its
 * chromedriver, as {@code StorefrontBrowserTests}), against the whole service with the demo data.
 * A merchandiser signs in with a key an operator created, drafts a pin with a mistake and sees it
 * named at its field, fixes it, watches the preview move the product, saves, and the storefront's
 * own list (REST, the storefront key) has the product at that position. The merchandiser's nav
 * has no Models and the API refuses them a model action. axe-core runs in each page. Screenshots
 * go to {@code target/screenshots/console-*.png}; time to first render and script+style bytes per
 * page to {@code target/screenshots/console-figures.txt}.
 */
@QuarkusTest
@TestProfile(ConsoleRulesBrowserTests.Demo.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleRulesBrowserTests {

    /** The embedded demo, as the README's run command starts it, on a small catalog of its own. */
    public static class Demo implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tastemaker.data-dir", "target/test-data-console-rules",
                    "tastemaker.demo.enabled", "true",
                    "tastemaker.demo.products", "200");
        }
    }

    private static final Path SCREENSHOTS = Path.of("target/screenshots");
    private static final Path FIGURES = SCREENSHOTS.resolve("console-figures.txt");
    private static final String SHOPPER = "demo-maya";

    private static WebDriver browser;
    private static String merchandiserKey;

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
    void demoShopperIsShapedAndAMerchandiserHasAKey() {
        await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofSeconds(1)).until(() ->
                given().get("/v1/users/" + SHOPPER + "/profile").statusCode() == 200
                        && given().get("/v1/users/" + SHOPPER + "/feed?limit=12").jsonPath().getList("items").size() >= 12);
        if (merchandiserKey == null) {
            // a data directory kept from an earlier run keeps its rules: start from none
            for (Object id : given().get("/v1/merchandising/rules").jsonPath().getList("items.id")) {
                given().delete("/v1/merchandising/rules/" + id).then().statusCode(204);
            }
            merchandiserKey = given().contentType("application/json")
                    .body(Map.of("name", "maya", "roles", List.of(Roles.MERCHANDISER)))
                    .post("/v1/admin/keys").then().statusCode(201).extract().path("secret");
        }
    }

    @Test
    @Order(1)
    void a_merchandiser_pins_a_product_sees_the_mistake_then_the_preview_and_the_storefront_shows_it_there() {
        signIn(merchandiserKey, "Maya");
        assertThat(navLabels()).containsExactly("Rules", "Catalog");
        waitRendered("/rules");
        screenshot("console-rules-empty");
        axe("rules list");

        browser.findElement(By.linkText("New rule")).click();
        waitRendered("/rules/new");
        browser.findElement(By.id("preview-user")).clear();
        browser.findElement(By.id("preview-user")).sendKeys(SHOPPER);
        List<String> before = waitForPreview(ids -> ids.size() >= 12, "#preview-before");
        String product = before.get(7);

        // the mistake: a pin at position 0
        type("rule-name", "Hero of the week");
        new Select(browser.findElement(By.id("rule-action"))).selectByValue("pin");
        new Select(browser.findElement(By.id("rule-match-type"))).selectByValue("product");
        type("rule-match-value", product);
        type("rule-position", "0");
        browser.findElement(By.cssSelector("#rule-form button[type=submit]")).click();
        // the preview and the save both name it; either may redraw the message while it is read
        String error = wait(Duration.ofSeconds(10)).ignoring(StaleElementReferenceException.class).until(d ->
                d.findElement(By.cssSelector("[data-for='position'] .field-error")).getText());
        assertThat(error).contains("1");
        assertThat(browser.findElement(By.id("rule-position")).getDomAttribute("aria-invalid")).isEqualTo("true");
        assertThat(browser.getCurrentUrl()).endsWith("#/rules/new");
        screenshot("console-rule-mistake");

        // fixed: the preview puts the product second, marked as moved by this draft
        type("rule-position", "2");
        wait(Duration.ofSeconds(15)).until(d -> d.findElements(By.cssSelector("[data-for='position'] .field-error")).isEmpty());
        List<String> after = waitForPreview(ids -> ids.size() > 1 && ids.get(1).equals(product), "#preview-after");
        assertThat(after.get(1)).isEqualTo(product);
        List<String> shown = wait(Duration.ofSeconds(10)).ignoring(StaleElementReferenceException.class).until(d -> {
            WebElement tile = d.findElement(By.cssSelector("#preview-after li[data-position='2']"));
            return List.of(tile.getDomAttribute("class"), tile.getText(), d.findElement(By.id("preview-effects")).getText());
        });
        assertThat(shown.get(0)).contains("mark-moved");
        assertThat(shown.get(1)).contains("was #8").contains("this draft: pin");
        assertThat(shown.get(2)).contains("This draft").contains("#8 → #2");
        screenshot("console-rule-preview");
        axe("rule editor with preview");

        browser.findElement(By.cssSelector("#rule-form button[type=submit]")).click();
        wait(Duration.ofSeconds(10)).until(d -> d.getCurrentUrl().matches(".*#/rules/\\d+$"));
        waitRendered("/rules/" + ruleIdInUrl());
        wait(Duration.ofSeconds(10)).until(d -> !d.findElements(By.cssSelector(".audit li")).isEmpty());
        assertThat(browser.findElement(By.cssSelector(".audit li")).getText()).contains("create").contains("for Maya");
        waitForEarnings();
        js("window.scrollTo(0, 0)");
        screenshot("console-rule-saved");
        axe("a rule with its audit trail");

        // the storefront's own list, as the shop reads it with its key
        JsonPath feed = given().header("Authorization", "Bearer " + TestKeys.secret(Roles.STOREFRONT))
                .get("/v1/users/" + SHOPPER + "/feed?limit=12").then().statusCode(200).extract().jsonPath();
        assertThat(feed.getString("items[1].productId")).isEqualTo(product);
        assertThat(feed.getInt("items[1].position")).isEqualTo(2);
        assertThat(String.valueOf(feed.getList("items[1].reasons"))).contains("Hero of the week");

        // the shop reports what the shopper saw, clicked and bought from that list: the rule's page shows what it earned
        String storefront = "Bearer " + TestKeys.secret(Roles.STOREFRONT);
        String recommId = feed.getString("recommId");
        String now = Instant.now().toString();
        given().header("Authorization", storefront).contentType("application/json").body(Map.of("events", List.of(
                Map.of("eventId", "console-impression", "type", "impression", "userId", SHOPPER, "recommId", recommId,
                        "productIds", feed.getList("items.productId", String.class).subList(0, 6), "occurredAt", now),
                Map.of("eventId", "console-click", "type", "click", "userId", SHOPPER, "productId", product,
                        "recommId", recommId, "position", 2, "occurredAt", now),
                Map.of("eventId", "console-purchase", "type", "purchase", "userId", SHOPPER, "productId", product,
                        "recommId", recommId, "position", 2, "value", 23.99, "currency", "USD", "occurredAt", now))))
                .post("/v1/events").then().statusCode(202);
        String ruleId = ruleIdInUrl();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() ->
                given().get("/v1/analytics/rules?per=range&ruleId=" + ruleId).jsonPath().getList("rows").size() > 0
                        && given().get("/v1/analytics/rules?per=range&ruleId=" + ruleId).jsonPath().getInt("rows[0].purchases") > 0);
        browser.navigate().refresh();
        waitRendered("/rules/" + ruleId);
        wait(Duration.ofSeconds(10)).until(d -> d.findElement(By.cssSelector("[aria-labelledby='earned-heading']"))
                .getText().contains("23.99"));
        wait(Duration.ofSeconds(10)).until(d -> !d.findElements(By.cssSelector(".audit li")).isEmpty());
        js("document.getElementById('earned-heading').scrollIntoView()");
        screenshot("console-rule-earned");

        // the list shows it active, and the filters find it
        browser.get(base() + "/console/#/rules?state=active&kind=pin&q=hero");
        waitRendered("/rules");
        assertThat(browser.findElement(By.id("rules-table")).getText()).contains("Hero of the week").contains("active now");
        screenshot("console-rules-list");
        new Select(browser.findElement(By.id("filter-kind"))).selectByValue("boost");
        assertThat(browser.findElement(By.id("rules-table")).getText()).doesNotContain("Hero of the week");
        new Select(browser.findElement(By.id("filter-kind"))).selectByValue("pin");

        // disabled from the list: it leaves the active ones, and the service has it disabled
        browser.findElement(By.cssSelector("button[aria-label='Disable Hero of the week']")).click();
        wait(Duration.ofSeconds(10)).until(d -> !d.findElement(By.id("rules-table")).getText().contains("Hero of the week"));
        assertThat(given().get("/v1/merchandising/rules/" + ruleId).jsonPath().getBoolean("enabled")).isFalse();
    }

    @Test
    @Order(2)
    void saving_over_someone_elses_change_says_so_and_offers_to_reload() {
        long id = given().contentType("application/json").header("X-Actor", "Leo")
                .body(Map.of("name", "Garden boost", "action", "boost", "factor", 1.5,
                        "match", Map.of("type", "category", "value", "Garden")))
                .post("/v1/merchandising/rules").then().statusCode(201).extract().jsonPath().getLong("id");
        signIn(merchandiserKey, "Maya");
        browser.get(base() + "/console/#/rules/" + id);
        waitRendered("/rules/" + id);
        // Leo changes it meanwhile
        given().contentType("application/json").header("X-Actor", "Leo")
                .body(Map.of("name", "Garden boost", "action", "boost", "factor", 2.0,
                        "match", Map.of("type", "category", "value", "Garden")))
                .put("/v1/merchandising/rules/" + id).then().statusCode(200);
        type("rule-factor", "3");
        browser.findElement(By.cssSelector("#rule-form button[type=submit]")).click();
        WebElement conflict = wait(Duration.ofSeconds(10)).until(d -> {
            WebElement c = d.findElement(By.id("conflict"));
            return c.isDisplayed() ? c : null;
        });
        assertThat(conflict.getText()).contains("Someone else changed this rule").contains("version 2");
        screenshot("console-rule-conflict");
        conflict.findElement(By.tagName("button")).click();
        wait(Duration.ofSeconds(10)).until(d -> "2".equals(d.findElement(By.id("rule-factor")).getDomProperty("value")));
        wait(Duration.ofSeconds(10)).until(d -> !d.findElements(By.cssSelector(".audit li")).isEmpty());
        assertThat(browser.findElement(By.cssSelector(".audit li")).getText()).contains("update").contains("for Leo");

        // delete, confirmed in the dialog
        browser.findElement(By.cssSelector(".actions .danger")).click();
        WebElement dialog = wait(Duration.ofSeconds(5)).until(d -> d.findElement(By.cssSelector("dialog[open]")));
        screenshot("console-rule-delete");
        dialog.findElement(By.cssSelector("button[value=yes]")).click();
        wait(Duration.ofSeconds(10)).until(d -> d.getCurrentUrl().endsWith("#/rules"));
        given().get("/v1/merchandising/rules/" + id).then().statusCode(404);
    }

    @Test
    @Order(3)
    void a_merchandiser_sees_no_models_and_the_api_refuses_them_a_model_action() {
        signIn(merchandiserKey, null);
        assertThat(navLabels()).doesNotContain("Models", "Operations");
        browser.get(base() + "/console/#/models");
        wait(Duration.ofSeconds(10)).until(d -> d.findElement(By.tagName("main")).getText().contains("may not use Models"));
        Object status = ((JavascriptExecutor) browser).executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                window.tastemakerConsole.api('POST', '/v1/models/rollback').then(() => done(200), p => done(p.status));""");
        assertThat(((Number) status).intValue()).isEqualTo(403);
        Object me = ((JavascriptExecutor) browser).executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                window.tastemakerConsole.api('GET', '/v1/me').then(me => done(me.roles.join()), p => done(p.status));""");
        assertThat(me).isEqualTo(Roles.MERCHANDISER);
        // the key lives in this tab only, and signing out forgets it
        assertThat(js("return localStorage.length")).isEqualTo(0L);
        browser.findElement(By.xpath("//button[text()='Sign out']")).click();
        assertThat(js("return sessionStorage.getItem('tastemaker.console.key')")).isNull();
        assertThat(browser.findElements(By.id("signin-key"))).isNotEmpty();
    }

    @Test
    @Order(4)
    void the_pages_render_fast_stay_small_work_on_a_tablet_and_the_sign_in_is_accessible() {
        browser.get(base() + "/console");
        wait(Duration.ofSeconds(10)).until(d -> !d.findElements(By.id("signin-key")).isEmpty());
        assertThat(browser.getCurrentUrl()).endsWith("/console/");
        screenshot("console-signin");
        axe("sign-in");
        signIn(merchandiserKey, "Maya");
        long ruleId = given().get("/v1/merchandising/rules").jsonPath().getLong("items[0].id");
        // each page twice: the first load fetches the files, the second finds them in the browser's cache
        for (String route : List.of("/rules", "/rules/new", "/rules/" + ruleId, "/rules", "/rules/new", "/rules/" + ruleId)) {
            browser.get("about:blank");
            browser.get(base() + "/console/#" + route);
            waitRendered(route);
            double rendered = ((Number) js("return performance.getEntriesByName('console-rendered')[0].startTime")).doubleValue();
            long bytes = ((Number) js("""
                    return performance.getEntriesByType('resource').concat(performance.getEntriesByType('navigation'))
                      .filter(e => /\\/console\\/.*\\.(js|css)$/.test(new URL(e.name).pathname))
                      .reduce((n, e) => n + e.decodedBodySize, 0)""")).longValue();
            figure(String.format("%-16s first render %6.0f ms, script+style %6d bytes", "#" + route, rendered, bytes));
            assertThat(bytes).as("script and style of #%s", route).isLessThan(100_000);
        }
        browser.manage().window().setSize(new Dimension(820, 1180));
        try {
            browser.get("about:blank");
            browser.get(base() + "/console/#/rules/" + ruleId);
            waitRendered("/rules/" + ruleId);
            waitForEarnings();
            wait(Duration.ofSeconds(10)).until(d -> !d.findElements(By.cssSelector(".audit li")).isEmpty());
            assertThat(js("return document.documentElement.scrollWidth <= innerWidth")).as("no sideways scrolling").isEqualTo(true);
            screenshot("console-rule-tablet");
        } finally {
            browser.manage().window().setSize(new Dimension(1366, 768));
        }
    }

    // ---- helpers ----------------------------------------------------------------------

    private void signIn(String key, String name) {
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
        wait(Duration.ofSeconds(10)).until(d -> d.findElement(By.id("who")).getText().contains("key:maya#"));
    }

    /** A rule's page draws what it earned after the form; wait for it. */
    private void waitForEarnings() {
        wait(Duration.ofSeconds(10)).until(d -> !d.findElements(By.cssSelector("[aria-labelledby='earned-heading'] > p")).isEmpty());
    }

    private List<String> navLabels() {
        return browser.findElements(By.cssSelector("#nav a")).stream().map(WebElement::getText).toList();
    }

    private void waitRendered(String route) {
        wait(Duration.ofSeconds(15)).until(d -> route.equals(d.findElement(By.tagName("body")).getDomAttribute("data-rendered")));
    }

    /** The product ids of a preview grid once the preview has answered and they satisfy {@code ready}. */
    private List<String> waitForPreview(java.util.function.Predicate<List<String>> ready, String grid) {
        return wait(Duration.ofSeconds(20)).until(d -> {
            WebElement panel = d.findElement(By.cssSelector("[aria-labelledby='preview-heading']"));
            if (!"ready".equals(panel.getDomAttribute("data-preview")) || !SHOPPER.equals(panel.getDomAttribute("data-preview-user"))) {
                return null;
            }
            List<String> ids = d.findElements(By.cssSelector(grid + " li")).stream()
                    .map(li -> li.getDomAttribute("data-product-id")).toList();
            return ready.test(ids) ? ids : null;
        });
    }

    private void type(String id, String text) {
        WebElement input = browser.findElement(By.id(id));
        input.clear();
        input.sendKeys(text);
    }

    private String ruleIdInUrl() {
        String url = browser.getCurrentUrl();
        return url.substring(url.lastIndexOf('/') + 1);
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

    private static void screenshot(String name) {
        try {
            Files.write(SCREENSHOTS.resolve(name + ".png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void figure(String line) {
        System.out.println("ConsoleRulesBrowserTests: " + line);
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

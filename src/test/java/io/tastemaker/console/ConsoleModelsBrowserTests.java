package io.tastemaker.console;

import com.deque.html.axecore.results.Results;
import com.deque.html.axecore.results.Rule;
import com.deque.html.axecore.selenium.AxeBuilder;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import org.eclipse.microprofile.config.ConfigProvider;
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
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The console's Models and Catalog sections in a real headless browser (Debian's chromium, as
 * {@code StorefrontBrowserTests} drives it) against the whole service with the demo data. A data
 * scientist signs in with a key made through the service, registers a second version (the bundled
 * bge weights with mean pooling) with a mistake first, watches its index build reach ready,
 * evaluates it (a background job whose progress the page follows) and reads the verdict,
 * promotes it past the confirmation, rolls back, runs an A/B split; then opens a product and a
 * shopper. A merchandiser sees no models. axe-core runs in every page; screenshots go to
 * {@code target/screenshots/console-models*.png} and {@code console-catalog*.png}, the time to
 * first render and script + style bytes of each page to {@code console-models-figures.txt}.
 */
@QuarkusTest
@TestProfile(ConsoleModelsBrowserTests.DemoShop.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleModelsBrowserTests {

    /** The embedded demo on a small catalog; index builds slowed so that their progress can be watched. */
    public static class DemoShop implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tastemaker.data-dir", "target/test-data-console-models",
                    "tastemaker.demo.enabled", "true",
                    "tastemaker.demo.products", "400",
                    "tastemaker.models.build-batch-size", "8",
                    "tastemaker.models.build-share", "0.4");
        }
    }

    private static final Path SCREENSHOTS = Path.of("target/screenshots");
    private static final Path FIGURES = SCREENSHOTS.resolve("console-models-figures.txt");
    private static final String BASE = "bge-small-en-v1.5-q";
    private static final String CANDIDATE = "bge-mean-" + UUID.randomUUID().toString().substring(0, 6);
    private static final String MODEL_DIR = "console-" + UUID.randomUUID().toString().substring(0, 6);

    private static WebDriver browser;
    private static String dataScientistKey;
    private static String productOpened;

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
    void demoIsLoaded() throws IOException {
        await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofSeconds(1)).until(() ->
                given().get("/v1/users/demo-maya/profile").statusCode() == 200);
        if (dataScientistKey == null) {
            dataScientistKey = key("dana", "data-scientist");
            // the second version's files, under the models directory (<data-dir>/models) where registrations may read
            Path dir = Files.createDirectories(Path.of(ConfigProvider.getConfig().getValue("tastemaker.data-dir", String.class),
                    "models", MODEL_DIR));
            for (String file : List.of("bge-small-en-v1.5-q.onnx", "bge-small-en-v1.5-q-tokenizer.json")) {
                try (InputStream in = Test.class.getClassLoader().getResourceAsStream(file)) {
                    assertThat(in).as(file).isNotNull();
                    Files.copy(in, dir.resolve(file), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    @Test
    @Order(1)
    void a_data_scientist_registers_a_version_watches_its_build_reach_ready_promotes_it_and_rolls_back() {
        signIn(dataScientistKey, "Dana");
        // the landing page (models, for a data scientist) may still be drawing: open it until it has drawn whole
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(2)).ignoreExceptions().until(() -> {
            open("/models");
            return text("#models-summary").contains(BASE);
        });
        accessible("models");

        // a mistake first: the error is shown beside the field it names
        type("#reg-version", CANDIDATE);
        new Select(browser.findElement(By.id("reg-kind"))).selectByValue("onnx");
        type("#reg-modelPath", MODEL_DIR + "/no-such-model.onnx");
        type("#reg-tokenizerPath", MODEL_DIR + "/bge-small-en-v1.5-q-tokenizer.json");
        new Select(browser.findElement(By.id("reg-pooling"))).selectByValue("MEAN");
        browser.findElement(By.cssSelector("#register-form button[type=submit]")).click();
        wait(Duration.ofSeconds(30)).until(d -> !d.findElements(By.cssSelector("#register-form [data-for=modelPath] .field-error")).isEmpty());
        assertThat(browser.findElement(By.id("reg-modelPath")).getDomAttribute("aria-invalid")).isEqualTo("true");
        screenshot("console-models-register-error");

        type("#reg-modelPath", MODEL_DIR + "/bge-small-en-v1.5-q.onnx");
        browser.findElement(By.cssSelector("#register-form button[type=submit]")).click();

        // the build runs: the bar moves while the page polls, then the row reads ready, without a reload
        String bar = ".progress[data-version='" + CANDIDATE + "']";
        wait(Duration.ofSeconds(60)).until(d -> !d.findElements(By.cssSelector(bar)).isEmpty());
        boolean sawRunning = false;
        long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
        while (System.nanoTime() < deadline) {
            String state = attribute(bar, "data-state");
            if ("indexing".equals(state) && !sawRunning) {
                String percent = attribute(bar, "data-percent");
                if (!percent.isEmpty() && Double.parseDouble(percent) > 0 && Double.parseDouble(percent) < 100) {
                    sawRunning = true;
                    assertThat(text(bar)).contains("%").contains("products");
                    assertThat(js("return document.body.dataset.polling")).isEqualTo("on");
                    screenshot("console-models-indexing");
                    // a hidden tab stops asking; shown again, it asks at once and goes on
                    js("Object.defineProperty(document, 'hidden', {configurable: true, get: () => true});"
                            + " document.dispatchEvent(new Event('visibilitychange'))");
                    assertThat(js("return document.body.dataset.polling")).isEqualTo("off");
                    js("delete document.hidden; document.dispatchEvent(new Event('visibilitychange'))");
                    wait(Duration.ofSeconds(10)).until(d -> "on".equals(js("return document.body.dataset.polling"))
                            || "ready".equals(attribute(bar, "data-state")));
                }
            }
            if ("ready".equals(state)) {
                break;
            }
            sleep(150);
        }
        assertThat(attribute(bar, "data-state")).as("the build reached ready on the page").isEqualTo("ready");
        assertThat(sawRunning).as("the page showed the build part-way").isTrue();
        assertThat(js("return document.body.dataset.polling")).as("nothing runs: the page stops asking").isEqualTo("off");
        screenshot("console-models");

        // the version's page: no verdict yet; the evaluation runs as a job, its progress shown while the page
        // polls, then its verdict (scores with intervals, the weights chosen), then promote with the confirmation
        browser.findElement(By.linkText(CANDIDATE)).click();
        waitRendered("/models/" + CANDIDATE);
        assertThat(text("#gate")).contains("Not evaluated yet");
        browser.findElement(By.id("evaluate")).click();
        wait(Duration.ofSeconds(30)).until(d -> !"".equals(attribute("#gate", "data-done")));
        if ("busy".equals(attribute("#gate", "data-done"))) { // the job answered queued: the page asks until it is done
            assertThat(browser.findElements(By.id("gate-progress"))).isNotEmpty();
            assertThat(browser.findElements(By.id("evaluate-cancel"))).as("a running job can be cancelled").isNotEmpty();
            assertThat(js("return document.body.dataset.polling")).isEqualTo("on");
        }
        wait(Duration.ofSeconds(180)).until(d -> "yes".equals(attribute("#gate", "data-done")));
        assertThat(text("#gate")).contains("NDCG@10").contains(CANDIDATE).contains(BASE + " (active)")
                .contains("95 % intervals").contains("Feed weights chosen for it").contains("Co-engagement floor");
        assertThat(js("return document.body.dataset.polling")).as("the job is done: the page stops asking").isEqualTo("off");
        given().get("/v1/models/" + CANDIDATE + "/evaluation").then().body("state", org.hamcrest.Matchers.equalTo("done"));
        assertThat(browser.findElements(By.id("evaluate"))).as("it can be evaluated again").isNotEmpty();
        accessible("models-version");
        screenshot("console-models-version");

        browser.findElement(By.id("promote")).click();
        confirm(); // "Promote …?"
        // the gate may refuse a worse version: the page says why and asks again before forcing it
        wait(Duration.ofSeconds(60)).until(d -> !d.findElements(By.cssSelector("dialog.confirm[open]")).isEmpty()
                || !d.findElements(By.id("rollback")).isEmpty());
        if (!browser.findElements(By.cssSelector("dialog.confirm[open]")).isEmpty()) {
            assertThat(text("dialog.confirm")).contains("NDCG@10");
            confirm();
        }
        wait(Duration.ofSeconds(30)).until(d -> !d.findElements(By.id("rollback")).isEmpty());
        given().get("/v1/models").then().body("active", org.hamcrest.Matchers.equalTo(CANDIDATE));
        assertThat(text("main")).contains("This version ranks every list.");

        browser.findElement(By.id("rollback")).click();
        confirm();
        wait(Duration.ofSeconds(30)).until(d -> !d.findElements(By.id("promote")).isEmpty());
        given().get("/v1/models").then().body("active", org.hamcrest.Matchers.equalTo(BASE));
    }

    @Test
    @Order(2)
    void a_data_scientist_starts_an_ab_split_reads_it_and_stops_it() {
        signIn(dataScientistKey, "Dana");
        open("/models");
        new Select(browser.findElement(By.id("exp-treatment"))).selectByValue(CANDIDATE);
        type("#exp-percent", "150");
        browser.findElement(By.cssSelector("#experiment-form button[type=submit]")).click();
        wait(Duration.ofSeconds(20)).until(d -> !d.findElements(By.cssSelector("#experiment-form .field-error, #experiment-form .form-error:not([hidden])")).isEmpty());

        type("#exp-percent", "50");
        browser.findElement(By.cssSelector("#experiment-form button[type=submit]")).click();
        wait(Duration.ofSeconds(20)).until(d -> d.findElement(By.id("experiment")).getText().contains("Running since"));
        // shoppers' lists under the split, so the report has something to count
        for (String shopper : List.of("demo-maya", "demo-sam", "demo-leo")) {
            given().queryParam("limit", 5).get("/v1/users/" + shopper + "/feed").then().statusCode(200);
        }
        open("/models");
        assertThat(browser.findElements(By.cssSelector("#experiment svg.interval-chart"))).as("an interval chart per metric")
                .isNotEmpty();
        assertThat(text("#experiment-status")).contains(CANDIDATE).contains("50");
        accessible("models-experiment");
        screenshot("console-models-experiment");

        browser.findElement(By.id("exp-stop")).click();
        confirm();
        wait(Duration.ofSeconds(20)).until(d -> d.findElement(By.id("experiment")).getText().contains("ended"));
        given().get("/v1/models/experiment").then().body("experiment.endedAt", org.hamcrest.Matchers.notNullValue());
    }

    @Test
    @Order(3)
    void the_catalog_search_opens_a_product_with_its_neighbours_and_reasons_and_a_shopper_with_their_feed() {
        signIn(dataScientistKey, "Dana");
        open("/catalog");
        type("#cat-q", "lamp");
        browser.findElement(By.cssSelector("#catalog-search button[type=submit]")).click();
        wait(Duration.ofSeconds(20)).until(d -> !d.findElements(By.cssSelector("#catalog-results .grid li")).isEmpty());
        assertThat(browser.getCurrentUrl()).contains("#/catalog?q=lamp");
        accessible("catalog");
        screenshot("console-catalog");

        WebElement first = browser.findElement(By.cssSelector("#catalog-results .grid li"));
        productOpened = first.getDomAttribute("data-product-id");
        first.findElement(By.cssSelector(".title a")).click();
        waitRendered("/products/" + productOpened);
        wait(Duration.ofSeconds(20)).until(d -> !d.findElements(By.cssSelector("#similar .grid li")).isEmpty());
        assertThat(text("#why-from")).as("the reasons the search gave it").contains("#1 in the search for \"lamp\"");
        assertThat(browser.findElements(By.cssSelector("#similar .grid li[data-product-id='" + productOpened + "']")))
                .as("more like this leaves the product out").isEmpty();
        wait(Duration.ofSeconds(20)).until(d -> d.findElement(By.id("chosen-after")).getText().length() > 0
                && !d.findElement(By.id("chosen-after")).getText().startsWith("Loading"));

        // where it stands in a shopper's feed, on demand
        type("#why-user", "demo-maya");
        browser.findElement(By.cssSelector("#why-form button[type=submit]")).click();
        wait(Duration.ofSeconds(20)).until(d -> d.findElement(By.id("why-answer")).getText().contains("demo-maya's feed"));
        accessible("product");
        screenshot("console-catalog-product");

        open("/shoppers/demo-maya");
        wait(Duration.ofSeconds(20)).until(d -> !d.findElements(By.cssSelector("#shopper-feed .grid li")).isEmpty());
        assertThat(text("main")).contains("Recent items").contains("Top categories");
        assertThat(text("#shopper-feed")).contains("Why these");
        accessible("shopper");
        screenshot("console-catalog-shopper");
    }

    @Test
    @Order(4)
    void the_pages_work_at_tablet_width() {
        signIn(dataScientistKey, "Dana");
        browser.manage().window().setSize(new Dimension(820, 1180));
        try {
            for (String page : List.of("/models", "/models/" + CANDIDATE, "/catalog?q=lamp", "/shoppers/demo-maya")) {
                open(page);
                assertThat((Boolean) js("return document.documentElement.scrollWidth <= window.innerWidth"))
                        .as("%s fits a tablet's width", page).isTrue();
            }
            open("/models");
            screenshot("console-models-tablet");
        } finally {
            browser.manage().window().setSize(new Dimension(1366, 768));
        }
    }

    @Test
    @Order(5)
    void a_merchandiser_sees_no_models_and_cannot_call_them() {
        String merchandiser = key("mo", "merchandiser");
        signIn(merchandiser, "Mo");
        assertThat(text("#nav")).contains("Catalog").doesNotContain("Models").doesNotContain("Shoppers");
        // the router refuses the sections the roles may not use, whoever types their address
        js("location.hash = '#/models'");
        wait(Duration.ofSeconds(20)).until(d -> d.findElement(By.id("main")).getText().contains("may not use Models"));
        js("location.hash = '#/shoppers/demo-maya'");
        wait(Duration.ofSeconds(20)).until(d -> d.findElement(By.id("main")).getText().contains("may not use Shoppers"));
        assertThat(text("main")).doesNotContain("Recent items");
        given().header("Authorization", "Bearer " + merchandiser).post("/v1/models/" + CANDIDATE + "/promote")
                .then().statusCode(403);
        given().header("Authorization", "Bearer " + merchandiser).get("/v1/models").then().statusCode(403);
    }

    @Test
    @Order(6)
    void figures_time_to_first_render_and_script_and_style_bytes_per_page() {
        signIn(dataScientistKey, "Dana");
        StringBuilder figures = new StringBuilder("page\tfirst render ms\tscript+style bytes (decoded)\tfiles\n");
        for (String page : List.of("/models", "/models/" + CANDIDATE, "/catalog?q=lamp",
                "/products/" + (productOpened == null ? "demo-00001" : productOpened), "/shoppers/demo-maya")) {
            double best = Double.MAX_VALUE;
            long bytes = 0;
            long files = 0;
            for (int run = 0; run < 3; run++) { // the first load fills the cache; the figure is the best of three
                browser.get("about:blank");
                browser.get(base() + "/console/#" + page);
                waitRendered(page.split("\\?")[0]);
                wait(Duration.ofSeconds(10)).until(d -> Boolean.TRUE.equals(
                        js("return performance.getEntriesByName('console-rendered').length > 0")));
                best = Math.min(best, ((Number) js("return performance.getEntriesByName('console-rendered')[0].startTime"))
                        .doubleValue());
                bytes = ((Number) js("return performance.getEntriesByType('resource')"
                        + ".filter(e => /\\.(js|css)(\\?|$)/.test(e.name)).reduce((s, e) => s + e.decodedBodySize, 0)"))
                        .longValue();
                files = ((Number) js("return performance.getEntriesByType('resource')"
                        + ".filter(e => /\\.(js|css)(\\?|$)/.test(e.name)).length")).longValue();
            }
            figures.append(page).append('\t').append(Math.round(best)).append('\t').append(bytes).append('\t')
                    .append(files).append('\n');
            assertThat(bytes).as("script and style of %s", page).isPositive().isLessThan(150_000);
        }
        System.out.print("ConsoleModelsBrowserTests figures:\n" + figures);
        try {
            Files.writeString(FIGURES, figures, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- helpers ----------------------------------------------------------------------

    /** A key made through the service by the operator, as an operator hands one out. */
    private static String key(String name, String role) {
        return given().contentType(ContentType.JSON).body(Map.of("name", name, "roles", List.of(role)))
                .post("/v1/admin/keys").then().statusCode(201).extract().path("secret");
    }

    private void signIn(String key, String name) {
        browser.get("about:blank");
        browser.get(base() + "/console/");
        js("sessionStorage.clear()");
        browser.navigate().refresh();
        wait(Duration.ofSeconds(20)).until(d -> !d.findElements(By.id("signin-key")).isEmpty());
        type("#signin-key", key);
        type("#signin-name", name);
        browser.findElement(By.cssSelector("form.signin button[type=submit]")).click();
        wait(Duration.ofSeconds(20)).until(d -> !d.findElement(By.id("who")).getText().isEmpty());
        assertThat(js("return localStorage.length")).as("the key is never kept beyond the tab").isEqualTo(0L);
    }

    /** Goes to a console route and waits until its section says it has drawn. */
    private void open(String route) {
        js("document.body.dataset.rendered = ''");
        // the same hash again changes nothing: the router is told to draw the page anew
        js("if (location.hash === arguments[0]) dispatchEvent(new HashChangeEvent('hashchange'));"
                + " else location.hash = arguments[0]", "#" + route);
        waitRendered(route.split("\\?")[0]);
    }

    private void waitRendered(String path) {
        wait(Duration.ofSeconds(60)).until(d -> path.equals(js("return document.body.dataset.rendered")));
    }

    /** Confirms the open confirmation dialog. */
    private void confirm() {
        wait(Duration.ofSeconds(30)).until(d -> !d.findElements(By.cssSelector("dialog.confirm[open] button[value=yes]")).isEmpty());
        browser.findElement(By.cssSelector("dialog.confirm[open] button[value=yes]")).click();
        wait(Duration.ofSeconds(10)).until(d -> d.findElements(By.cssSelector("dialog.confirm[open]")).isEmpty()
                || !d.findElement(By.cssSelector("dialog.confirm[open]")).getText().isEmpty());
    }

    /** axe-core in the page: no serious or critical violation. */
    private void accessible(String page) {
        Results results = new AxeBuilder().analyze(browser);
        List<String> bad = results.getViolations().stream()
                .filter(r -> "serious".equals(r.getImpact()) || "critical".equals(r.getImpact()))
                .map(ConsoleModelsBrowserTests::describe).toList();
        assertThat(bad).as("serious or critical accessibility violations on %s", page).isEmpty();
    }

    private static String describe(Rule rule) {
        return rule.getImpact() + " " + rule.getId() + ": " + rule.getHelp() + " at "
                + rule.getNodes().stream().map(n -> String.valueOf(n.getTarget())).limit(5).toList();
    }

    private void type(String css, String value) {
        WebElement input = browser.findElement(By.cssSelector(css));
        input.clear();
        input.sendKeys(value);
    }

    /**
     * Read in one script, not find-then-read: the page re-renders the rows while it polls, so an
     * element found a moment ago can be gone when asked for its text (a stale reference).
     */
    private String text(String css) {
        Object value = js("const e = document.querySelector(arguments[0]); return e ? e.innerText : null", css);
        assertThat(value).as("an element matching %s", css).isNotNull();
        return (String) value;
    }

    private String attribute(String css, String name) {
        Object value = js("const e = document.querySelector(arguments[0]); return e ? e.getAttribute(arguments[1]) : null", css, name);
        return value == null ? "" : (String) value;
    }

    private Object js(String script, Object... args) {
        return ((JavascriptExecutor) browser).executeScript(script, args);
    }

    private static WebDriverWait wait(Duration timeout) {
        return HeadlessChromium.waitOn(browser, timeout);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The whole page (up to 2,400 pixels tall) at the window's width, for the docs. */
    private void screenshot(String name) {
        Dimension window = browser.manage().window().getSize();
        int page = ((Number) js("return Math.min(2400, document.documentElement.scrollHeight)")).intValue();
        try {
            if (page > window.getHeight()) {
                browser.manage().window().setSize(new Dimension(window.getWidth(), page + 100));
            }
            js("window.scrollTo(0, 0)");
            Files.write(SCREENSHOTS.resolve(name + ".png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            browser.manage().window().setSize(window);
        }
    }

    private static String base() {
        return "http://localhost:" + RestAssured.port;
    }
}

package io.tastemaker.storefront;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.tastemaker.security.Roles;
import io.tastemaker.streams.KafkaClients;
import io.tastemaker.streams.Topics;
import io.tastemaker.testing.TestKeys;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import io.tastemaker.testing.HeadlessChromium;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * The drop-in widget and the demo shop in a real headless browser (Debian's chromium through its
 * chromedriver, which {@code .ci/run} installs), against the whole service with the demo data:
 * a shopper's feed renders, impressions name only what scrolled into view, a click carries its
 * list's recommId and position, a pin changes the feed, and the widget shows nothing and breaks
 * nothing when Tastemaker is down or slow. What the service received is read back from the
 * engagement topic. Screenshots go to {@code target/screenshots/}.
 */
@QuarkusTest
@TestProfile(StorefrontBrowserTests.DemoShop.class)
class StorefrontBrowserTests {

    /** The embedded demo, as the README's run command starts it, on a small catalog of its own. */
    public static class DemoShop implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tastemaker.data-dir", "target/test-data-shop",
                    "tastemaker.demo.enabled", "true",
                    "tastemaker.demo.products", "400");
        }
    }

    private static final Path SCREENSHOTS = Path.of("target/screenshots");
    private static final Duration EVENTUALLY = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FEED = "[data-tastemaker-placement='home-feed']";

    private static WebDriver browser;

    @Inject
    KafkaClients kafka;

    @Inject
    Topics topics;

    private String testName;

    @BeforeAll
    static void startBrowser() throws IOException {
        browser = HeadlessChromium.start(1280, 900);
        Files.createDirectories(SCREENSHOTS);
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @BeforeEach
    void demoShoppersAreShaped(TestInfo test) {
        testName = test.getTestMethod().orElseThrow().getName();
        // the demo loader publishes the shoppers' engagement once their products are embedded
        await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofSeconds(1)).until(() ->
                given().get("/v1/users/demo-maya/profile").statusCode() == 200
                        && given().get("/v1/users/demo-sam/profile").statusCode() == 200);
    }

    @Test
    void the_shop_holds_only_the_storefront_key_and_shows_a_shoppers_feed_with_impressions_for_what_came_into_view() {
        browser.get(base() + "/shop");
        assertThat(browser.getPageSource()).contains(TestKeys.secret(Roles.STOREFRONT))
                .doesNotContain(TestKeys.secret(Roles.OPERATOR));
        signInAs("demo-sam");
        List<WebElement> tiles = feedTiles();
        String recommId = browser.findElement(By.cssSelector(FEED)).getDomAttribute("data-recomm-id");
        List<String> served = ids(tiles);
        assertThat(onScreen(tiles.get(0))).as("the feed starts below the fold, under the welcome").isFalse();
        screenshot("home-before-scrolling");

        js("arguments[0].scrollIntoView({block: 'center'})", browser.findElement(By.cssSelector(FEED)));
        await().atMost(Duration.ofSeconds(10)).until(() -> onScreen(tiles.get(0)));
        screenshot("feed-in-view");
        // every tile shows a picture: the product's own or, where it cannot load, the service's tile
        await().atMost(Duration.ofSeconds(20)).until(() -> tiles.stream().limit(4).allMatch(t ->
                Boolean.TRUE.equals(js("const i = arguments[0].querySelector('img'); return i.complete && i.naturalWidth > 0", t))));

        assertThat(recommId).as("the list answer's recommId, on the rendered placement").matches("[A-Za-z0-9_-]{1,64}");
        JsonNode impression = received(e -> e.path("type").asText().equals("impression")
                && e.path("userId").asText().equals("demo-sam") && e.path("recommId").asText().equals(recommId));
        List<String> seen = new ArrayList<>();
        impression.path("productIds").forEach(p -> seen.add(p.asText()));
        assertThat(seen).as("impressions name what was in view, never more than was served").isNotEmpty()
                .doesNotHaveDuplicates().isSubsetOf(served).contains(served.get(0));
        assertThat(seen.size()).as("a carousel wider than the window: the tiles out of view were not seen")
                .isLessThan(served.size());
    }

    @Test
    void a_click_is_attributed_to_its_list_and_a_pin_changes_the_home_feed() {
        browser.get(base() + "/shop");
        signInAs("demo-maya");
        List<WebElement> tiles = feedTiles();
        String recommId = browser.findElement(By.cssSelector(FEED)).getDomAttribute("data-recomm-id");
        List<String> before = ids(tiles);
        String clicked = before.get(1);
        screenshot("maya-feed");

        long clickedAt = System.nanoTime();
        tiles.get(1).findElement(By.tagName("a")).click();
        wait(Duration.ofSeconds(10)).until(d -> d.findElement(By.cssSelector("#pin")).isDisplayed());
        assertThat(browser.getCurrentUrl()).endsWith("#/product/" + clicked);
        browser.findElement(By.id("pin")).click();
        wait(Duration.ofSeconds(10)).until(d -> d.findElement(By.id("note")).getText().startsWith("Saved"));
        screenshot("product-pinned");

        JsonNode click = received(e -> e.path("type").asText().equals("click") && e.path("userId").asText().equals("demo-maya")
                && e.path("productId").asText().equals(clicked));
        assertThat(click.path("recommId").asText()).as("the click names the list it came from").isEqualTo(recommId);
        assertThat(click.path("position").asInt()).isEqualTo(2);
        JsonNode pin = received(e -> e.path("type").asText().equals("pin") && e.path("userId").asText().equals("demo-maya")
                && e.path("productId").asText().equals(clicked));
        assertThat(pin.path("recommId").asText()).as("the pin on the product page keeps the attribution").isEqualTo(recommId);

        // back home: the feed follows the click and the pin once the engagement consumer has them
        List<String> after = new ArrayList<>();
        await().atMost(EVENTUALLY).pollInterval(Duration.ofMillis(250)).until(() -> {
            browser.get(base() + "/shop#/");
            browser.navigate().refresh();
            after.clear();
            after.addAll(ids(feedTiles()));
            return !after.equals(before);
        });
        long changedAfterMs = (System.nanoTime() - clickedAt) / 1_000_000;
        js("arguments[0].scrollIntoView({block: 'center'})", browser.findElement(By.cssSelector(FEED)));
        screenshot("maya-feed-after-pin");
        assertThat(after).as("a product the shopper just engaged with anchors the feed, never fills it").doesNotContain(clicked);
        // a figure for the notes, never an assertion
        System.out.printf("StorefrontBrowserTests: %d ms from the click in the browser to a changed home feed%n", changedAfterMs);
        writeFigure("click-to-changed-feed-ms", changedAfterMs);
    }

    @Test
    void the_widget_shows_nothing_and_breaks_nothing_when_tastemaker_is_down_or_slow() throws Exception {
        int down;
        try (ServerSocket free = new ServerSocket(0)) {
            down = free.getLocalPort();
        }
        // accepts connections (the kernel's backlog) and never answers: a hung service
        try (ServerSocket hung = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            HttpServer otherShop = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            otherShop.createContext("/", exchange -> {
                int port = Integer.parseInt(exchange.getRequestURI().getQuery());
                byte[] page = otherShopPage(port).getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
                exchange.sendResponseHeaders(200, page.length);
                exchange.getResponseBody().write(page);
                exchange.close();
            });
            otherShop.start();
            try {
                for (int port : List.of(down, hung.getLocalPort())) {
                    browser.get("http://127.0.0.1:" + otherShop.getAddress().getPort() + "/?" + port);
                    wait(Duration.ofSeconds(15)).until(d -> Boolean.TRUE.equals(
                            js("return document.getElementById('picks').hidden")));
                    screenshot(port == down ? "widget-service-down" : "widget-service-hung");
                    assertThat(js("return window.pageErrors")).as("errors in the page").isEqualTo(List.of());
                    assertThat(js("return document.getElementById('picks').childElementCount")).isEqualTo(0L);
                    // the page flows as if the placement were not there
                    double gap = ((Number) js("return document.getElementById('after').getBoundingClientRect().top"
                            + " - document.getElementById('before').getBoundingClientRect().bottom")).doubleValue();
                    assertThat(gap).isCloseTo(12.0, within(0.5)); // #after's own margin, nothing between
                }
            } finally {
                otherShop.stop(0);
            }
        }
    }

    // ---- helpers ----------------------------------------------------------------------

    /** A shop somewhere else that includes the widget, pointed at an address where Tastemaker does not answer. */
    private String otherShopPage(int deadPort) {
        return """
                <!doctype html><html><head><meta charset="utf-8">
                <script>window.pageErrors = [];
                  addEventListener('error', e => pageErrors.push(String(e.message)));
                  addEventListener('unhandledrejection', e => pageErrors.push(String(e.reason)));</script>
                <style>p { margin: 0; } #after { margin-top: 12px; }</style>
                <script src="%s/widget/v1.js" data-tastemaker-key="%s" data-tastemaker-endpoint="http://127.0.0.1:%d"
                        data-tastemaker-timeout="800" defer></script></head>
                <body><p id="before">Our own products</p>
                <div id="picks" data-tastemaker-placement="home-feed" data-surface="feed" data-user-id="demo-maya"
                     data-title="Picked for you"></div>
                <p id="after">The rest of the page</p></body></html>
                """.formatted(base(), TestKeys.secret(Roles.STOREFRONT), deadPort);
    }

    private void signInAs(String shopper) {
        wait(Duration.ofSeconds(10)).until(d -> !d.findElements(By.cssSelector("#shopper option[value='" + shopper + "']")).isEmpty());
        new Select(browser.findElement(By.id("shopper"))).selectByValue(shopper);
        wait(Duration.ofSeconds(10)).until(d -> d.findElement(By.tagName("h1")).getText().contains(shopper));
    }

    private List<WebElement> feedTiles() {
        wait(Duration.ofSeconds(20)).until(d -> !d.findElements(By.cssSelector(FEED + " li.tm-item")).isEmpty());
        return browser.findElements(By.cssSelector(FEED + " li.tm-item"));
    }

    private static List<String> ids(List<WebElement> tiles) {
        return tiles.stream().map(t -> t.getDomAttribute("data-product-id")).toList();
    }

    private boolean onScreen(WebElement element) {
        return Boolean.TRUE.equals(js("const r = arguments[0].getBoundingClientRect();"
                + " return r.top >= 0 && r.bottom <= innerHeight && r.left >= 0 && r.right <= innerWidth", element));
    }

    /** The first event on the engagement topic that matches, waiting for it a bounded time. */
    private JsonNode received(Predicate<JsonNode> wanted) {
        try (KafkaConsumer<String, String> reader = kafka.consumer("test-browser-" + System.nanoTime(), 500)) {
            List<TopicPartition> partitions = reader.partitionsFor(topics.engagement()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            reader.assign(partitions);
            reader.seekToBeginning(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : reader.poll(Duration.ofMillis(500))) {
                    Optional<JsonNode> event = parse(r.value());
                    if (event.isPresent() && wanted.test(event.get())) {
                        return event.get();
                    }
                }
            }
        }
        throw new AssertionError("the service received no such event within 30 s");
    }

    private static Optional<JsonNode> parse(String value) {
        try {
            return Optional.of(JSON.readTree(value));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private Object js(String script, Object... args) {
        return ((JavascriptExecutor) browser).executeScript(script, args);
    }

    private static WebDriverWait wait(Duration timeout) {
        return HeadlessChromium.waitOn(browser, timeout);
    }

    private void screenshot(String name) {
        try {
            Files.write(SCREENSHOTS.resolve(testName + "--" + name + ".png"),
                    ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void writeFigure(String name, long value) {
        try {
            Files.writeString(SCREENSHOTS.resolve(name + ".txt"), value + "\n");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String base() {
        return "http://localhost:" + RestAssured.port;
    }
}

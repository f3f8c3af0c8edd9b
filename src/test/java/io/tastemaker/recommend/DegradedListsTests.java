package io.tastemaker.recommend;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.tastemaker.testing.PausedPostgres;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/**
 * Storefront lists while PostgreSQL hangs (every process of the embedded server stopped with
 * SIGSTOP): feed, similar and search keep answering from what is in memory (the embedded index,
 * cached trending), naming what they went without in {@code degraded}; events are still
 * accepted (the broker has them); once PostgreSQL answers again, lists are whole again.
 */
@QuarkusTest
class DegradedListsTests {

    private static final Logger LOG = Logger.getLogger(DegradedListsTests.class);
    private static final Duration EVENTUALLY = Duration.ofSeconds(60);
    private static final String SHOP = "Hang" + UUID.randomUUID().toString().substring(0, 8);
    private static final Set<String> POSTGRES_BACKED = Set.of("profile", "coEngagement", "trending");
    private static final String[] TITLES = {"Walnut side table", "Oak coffee table", "Linen sofa cover",
            "Wool floor cushion", "Rattan magazine basket", "Brass candle holder", "Glass flower vase",
            "Velvet armchair", "Jute doormat", "Ceramic planter pot"};

    @Test
    void lists_answer_degraded_while_postgres_hangs_and_recover_after() throws Exception {
        for (int i = 0; i < TITLES.length; i++) {
            given().contentType(ContentType.JSON).body(Map.of("title", TITLES[i], "brand", "Hush",
                            "categoryPath", List.of(SHOP, i % 2 == 0 ? "Tables" : "Decor"), "price", 20 + i,
                            "currency", "EUR"))
                    .put("/v1/catalog/products/" + id(i)).then().statusCode(202);
        }
        await().atMost(EVENTUALLY).untilAsserted(() -> given().queryParam("q", "home").queryParam("category", SHOP)
                .queryParam("limit", 100).get("/v1/search").then().body("items.size()", equalTo(TITLES.length)));
        // shoppers went from the side table to the coffee table: engagement flows, trending is read once
        String before = "u-" + UUID.randomUUID().toString().substring(0, 8);
        postEvents(before, id(0), id(1));
        await().atMost(EVENTUALLY).untilAsserted(() -> assertThat(feed("u-" + UUID.randomUUID().toString()
                .substring(0, 8)).jsonPath().getList("items")).isNotEmpty());

        Path dataDir = Path.of(ConfigProvider.getConfig().getValue("tastemaker.data-dir", String.class), "postgres");
        int requests = 60;
        AtomicInteger ok = new AtomicInteger();
        AtomicInteger degraded = new AtomicInteger();
        AtomicInteger err4xx = new AtomicInteger();
        AtomicInteger err5xx = new AtomicInteger();
        AtomicInteger eventsAccepted = new AtomicInteger();
        List<String> unexpected = java.util.Collections.synchronizedList(new ArrayList<>());
        String during = "u-" + UUID.randomUUID().toString().substring(0, 8);
        long resumedAt;
        try (PausedPostgres paused = PausedPostgres.pause(dataDir)) {
            LOG.infof("PostgreSQL stopped: %d processes %s", paused.processes(), paused.pids());
            ExecutorService clients = Executors.newFixedThreadPool(4);
            try {
                List<Future<?>> sent = new ArrayList<>();
                for (int n = 0; n < requests; n++) {
                    int k = n;
                    sent.add(clients.submit(() -> {
                        Response answer = switch (k % 3) {
                            case 0 -> feed("u-" + UUID.randomUUID().toString().substring(0, 8)); // never seen: no cached profile
                            case 1 -> given().queryParam("category", SHOP)
                                    .get("/v1/products/" + id(k % TITLES.length) + "/similar");
                            default -> given().queryParam("q", "table").queryParam("category", SHOP)
                                    .queryParam("userId", "u-" + UUID.randomUUID().toString().substring(0, 8))
                                    .get("/v1/search");
                        };
                        count(answer, ok, degraded, err4xx, err5xx, unexpected);
                    }));
                    if (n % 10 == 0) {
                        sent.add(clients.submit(() -> {
                            if (postEvents(during, id(2), id(3)) == 202) {
                                eventsAccepted.incrementAndGet();
                            }
                        }));
                    }
                }
                for (Future<?> f : sent) {
                    f.get();
                }
            } finally {
                clients.shutdownNow();
                resumedAt = System.nanoTime();
            }
        }
        // whole again: a new shopper's feed, a similar list and a search with nothing degraded
        await().atMost(EVENTUALLY).until(() -> whole(feed("u-" + UUID.randomUUID().toString().substring(0, 8)))
                && whole(given().queryParam("category", SHOP).get("/v1/products/" + id(4) + "/similar"))
                && whole(given().queryParam("q", "vase").queryParam("userId", during).get("/v1/search")));
        long recoveryMs = (System.nanoTime() - resumedAt) / 1_000_000;
        // the events accepted while PostgreSQL hung were kept by the broker and reach the profile
        int eventsSent = requests / 10;
        // ...each once: the profile counts exactly the events accepted
        await().atMost(EVENTUALLY).untilAsserted(() -> given().get("/v1/users/" + during + "/profile").then()
                .statusCode(200).body("events", equalTo(eventsAccepted.get() * 2)));
        LOG.infof("FAULT_MATRIX fault=postgres_stopped sent=%d ok2xx=%d degraded=%d err4xx=%d err5xx=%d "
                        + "events_sent=%d events_reflected=%d recovery_ms=%d", requests, ok.get(), degraded.get(),
                err4xx.get(), err5xx.get(), eventsSent * 2, eventsAccepted.get() * 2, recoveryMs);

        assertThat(unexpected).as("lists naming something else than PostgreSQL's sources").isEmpty();
        assertThat(err5xx.get()).as("lists answered 5xx while a source could answer").isZero();
        assertThat(err4xx.get()).isZero();
        assertThat(ok.get()).isEqualTo(requests);
        assertThat(degraded.get()).as("lists that said what they went without").isPositive();
        assertThat(eventsAccepted.get()).isEqualTo(eventsSent);
    }

    private static void count(Response answer, AtomicInteger ok, AtomicInteger degraded, AtomicInteger err4xx,
                              AtomicInteger err5xx, List<String> unexpected) {
        int status = answer.statusCode();
        if (status >= 500) {
            err5xx.incrementAndGet();
        } else if (status >= 400) {
            err4xx.incrementAndGet();
        } else {
            ok.incrementAndGet();
            List<String> missing = answer.jsonPath().getList("degraded", String.class);
            if (!missing.isEmpty()) {
                degraded.incrementAndGet();
            }
            missing.stream().filter(m -> !POSTGRES_BACKED.contains(m)).forEach(unexpected::add);
        }
    }

    private static boolean whole(Response answer) {
        return answer.statusCode() == 200 && answer.jsonPath().getList("degraded").isEmpty();
    }

    private static Response feed(String userId) {
        return given().queryParam("category", SHOP).get("/v1/users/" + userId + "/feed");
    }

    private static int postEvents(String userId, String first, String then) {
        String events = event(userId, first, Instant.now().minusSeconds(30)) + "," + event(userId, then, Instant.now());
        return given().contentType(ContentType.JSON).body("{\"events\":[" + events + "]}").post("/v1/events")
                .statusCode();
    }

    private static String event(String userId, String productId, Instant at) {
        return "{\"eventId\":\"" + UUID.randomUUID() + "\",\"type\":\"view\",\"userId\":\"" + userId
                + "\",\"productId\":\"" + productId + "\",\"occurredAt\":\"" + at + "\"}";
    }

    private static String id(int i) {
        return "h" + i + "-" + SHOP;
    }
}

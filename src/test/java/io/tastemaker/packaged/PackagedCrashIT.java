package io.tastemaker.packaged;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code kill -9} of the packaged application (its embedded Kafka and PostgreSQL with it) while
 * engagement events stream in and a catalog import runs in chunks; then the same jar starts again
 * on the same data directory. Every batch of events and every import chunk that was answered 202
 * before the kill must be reflected exactly once; what had no answer is sent again (safe: an event
 * id counts once, a product change carries the whole product), so in the end every shopper's
 * profile counts exactly the events sent to them and the catalog and index hold each product once.
 * Also: the embedded PostgreSQL does not outlive the killed JVM, and consumption resumes after the
 * restart (how long it took is printed as a figure, not asserted).
 */
class PackagedCrashIT {

    private static final Logger LOG = Logger.getLogger(PackagedCrashIT.class);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int SHOPPERS = 200;
    private static final int EVENTS_PER_BATCH = 20;
    private static final int CHUNKS = 10;
    private static final int PRODUCTS_PER_CHUNK = 60;

    private final String runId = UUID.randomUUID().toString().substring(0, 6);
    private PackagedRun run;
    private Process app;

    @Test
    void a_process_killed_outright_loses_nothing_counts_nothing_twice_and_resumes() throws Exception {
        run = PackagedRun.prepare("crash");
        app = start("first");
        awaitReady(Duration.ofMinutes(5));
        String key = run.key("operator");

        // senders: event batches over SHOPPERS shoppers, and the catalog import chunk after chunk
        Map<Integer, String> eventBatches = new ConcurrentHashMap<>();   // batch → body, every batch sent or to send
        Map<Integer, Boolean> eventsAcked = new ConcurrentHashMap<>();
        Map<Integer, Boolean> chunksAcked = new ConcurrentHashMap<>();
        AtomicInteger nextBatch = new AtomicInteger();
        AtomicBoolean sending = new AtomicBoolean(true);
        List<Thread> senders = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            senders.add(started(() -> {
                while (sending.get()) {
                    int batch = nextBatch.getAndIncrement();
                    String body = eventBatch(batch);
                    eventBatches.put(batch, body);
                    if (post(key, "/v1/events", "application/json", body) == 202) {
                        eventsAcked.put(batch, true);
                    }
                }
            }));
        }
        senders.add(started(() -> {
            for (int chunk = 0; chunk < CHUNKS && sending.get(); chunk++) {
                if (post(key, "/v1/catalog/products:import", "application/x-ndjson", importChunk(chunk)) == 202) {
                    chunksAcked.put(chunk, true);
                }
                pause(1000); // an import paced like a merchant's feed, so the kill lands in its middle
            }
        }));

        // kill -9 mid-stream: events acknowledged and still coming, the import part way through
        await().atMost(Duration.ofMinutes(3)).until(() -> eventsAcked.size() >= 50 && chunksAcked.size() >= 3);
        app.destroyForcibly();
        app.waitFor(1, TimeUnit.MINUTES);
        int eventsAckedBeforeKill = eventsAcked.size() * EVENTS_PER_BATCH;
        int chunksAckedBeforeKill = chunksAcked.size();
        sending.set(false);
        for (Thread sender : senders) {
            sender.join(60_000);
        }

        // the embedded PostgreSQL went with its JVM (the watchdog), so nothing holds the data directory
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(PackagedRun.listening(run.postgresPort())).as("orphaned PostgreSQL still listening").isFalse();
            assertThat(run.dataDir().resolve("postgres").resolve("postmaster.pid")).doesNotExist();
        });

        long restarted = System.nanoTime();
        app = start("second");
        awaitReady(Duration.ofMinutes(5));
        long readyMs = (System.nanoTime() - restarted) / 1_000_000;
        // consumption resumed: a fresh shopper's event is applied
        String marker = "crash-" + runId + "-marker";
        assertThat(post(key, "/v1/events", "application/json", "{\"events\":[" + event(marker, "p-" + runId + "-0") + "]}"))
                .isEqualTo(202);
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(100))
                .until(() -> status(key, "/v1/users/" + marker + "/profile") == 200);
        long resumedMs = (System.nanoTime() - restarted) / 1_000_000;
        long resumedAfterReadyMs = resumedMs - readyMs;

        // what was not acknowledged is sent again; everything acknowledged before the kill is not
        for (Map.Entry<Integer, String> batch : eventBatches.entrySet()) {
            if (!eventsAcked.containsKey(batch.getKey())) {
                assertThat(post(key, "/v1/events", "application/json", batch.getValue())).isEqualTo(202);
            }
        }
        for (int chunk = 0; chunk < CHUNKS; chunk++) {
            if (!chunksAcked.containsKey(chunk)) {
                assertThat(post(key, "/v1/catalog/products:import", "application/x-ndjson", importChunk(chunk))).isEqualTo(202);
            }
        }

        int[] expected = new int[SHOPPERS];
        eventBatches.keySet().forEach(batch -> {
            for (int i = 0; i < EVENTS_PER_BATCH; i++) {
                expected[shopper(batch, i)]++;
            }
        });
        AtomicInteger reflected = new AtomicInteger();
        for (int shopper = 0; shopper < SHOPPERS; shopper++) {
            int s = shopper;
            if (expected[s] == 0) {
                continue;
            }
            await().atMost(Duration.ofMinutes(3)).untilAsserted(() ->
                    assertThat(profileEvents(key, shopperId(s))).as("events of %s", shopperId(s)).isEqualTo(expected[s]));
            reflected.addAndGet(expected[s]);
        }
        int products = CHUNKS * PRODUCTS_PER_CHUNK;
        for (int p = 0; p < products; p += 7) {
            assertThat(status(key, "/v1/catalog/products/p-" + runId + "-" + p)).as("product %d", p).isEqualTo(200);
        }
        await().atMost(Duration.ofMinutes(5)).untilAsserted(() ->
                assertThat(indexedProducts()).as("products in the vector index, each once").isEqualTo(products));

        int eventsSent = eventBatches.size() * EVENTS_PER_BATCH;
        // recovery: from the restarted process being ready to its consumers applying events again
        LOG.infof("FAULT_MATRIX fault=process_killed events_sent=%d events_reflected=%d recovery_ms=%d", eventsSent,
                reflected.get(), resumedAfterReadyMs);
        LOG.infof("crash figures: %d events and %d of %d import chunks acknowledged before the kill; ready %d ms after"
                        + " the restart, consumption resumed after %d ms; %d products each indexed once",
                eventsAckedBeforeKill, chunksAckedBeforeKill, CHUNKS, readyMs, resumedMs, products);
        assertThat(reflected.get()).isEqualTo(eventsSent);
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (app != null && app.isAlive()) {
            app.destroy();
            if (!app.waitFor(1, TimeUnit.MINUTES)) {
                app.destroyForcibly();
            }
        }
    }

    private Process start(String name) throws IOException {
        Path log = run.dataDir().resolveSibling("app-" + name + ".log");
        Files.createDirectories(log.getParent());
        ProcessBuilder command = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", PackagedRun.JAR.toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        command.environment().putAll(run.environment());
        command.environment().put("TASTEMAKER_DEMO", "false");
        return command.start();
    }

    private void awaitReady(Duration atMost) {
        await().atMost(atMost).pollInterval(Duration.ofMillis(200)).until(() -> {
            assertThat(app.isAlive()).as("the app exited while starting; see the log beside %s", run.dataDir()).isTrue();
            return status(null, managementUrl("/q/health/ready")) == 200;
        });
    }

    private long indexedProducts() throws Exception {
        HttpResponse<String> ready = HTTP.send(HttpRequest.newBuilder(URI.create(managementUrl("/q/health/ready"))).build(),
                HttpResponse.BodyHandlers.ofString());
        for (JsonNode check : JSON.readTree(ready.body()).path("checks")) {
            if ("vectors".equals(check.path("name").asText())) {
                return check.path("data").path("products").asLong();
            }
        }
        return -1;
    }

    private int profileEvents(String key, String user) throws Exception {
        HttpResponse<String> profile = HTTP.send(request(key, "/v1/users/" + user + "/profile").build(),
                HttpResponse.BodyHandlers.ofString());
        return profile.statusCode() == 200 ? JSON.readTree(profile.body()).path("events").asInt() : 0;
    }

    private String eventBatch(int batch) {
        List<String> events = new ArrayList<>();
        for (int i = 0; i < EVENTS_PER_BATCH; i++) {
            events.add(event(shopperId(shopper(batch, i)), "p-" + runId + "-" + ((batch * 7 + i) % (CHUNKS * PRODUCTS_PER_CHUNK)),
                    "e-" + runId + "-" + batch + "-" + i));
        }
        return "{\"events\":[" + String.join(",", events) + "]}";
    }

    private static int shopper(int batch, int i) {
        return (batch * EVENTS_PER_BATCH + i) % SHOPPERS;
    }

    private String shopperId(int shopper) {
        return "crash-" + runId + "-" + shopper;
    }

    private static String event(String user, String product) {
        return event(user, product, UUID.randomUUID().toString());
    }

    private static String event(String user, String product, String eventId) {
        return "{\"eventId\":\"" + eventId + "\",\"type\":\"click\",\"userId\":\"" + user + "\",\"productId\":\"" + product
                + "\",\"occurredAt\":\"" + Instant.now() + "\"}";
    }

    private String importChunk(int chunk) {
        StringBuilder ndjson = new StringBuilder();
        for (int i = 0; i < PRODUCTS_PER_CHUNK; i++) {
            int p = chunk * PRODUCTS_PER_CHUNK + i;
            ndjson.append("{\"id\":\"p-").append(runId).append('-').append(p).append("\",\"title\":\"Crash test lamp ")
                    .append(p).append("\",\"brand\":\"Crash\",\"categoryPath\":[\"Home\",\"Lighting\"],\"price\":")
                    .append(10 + p % 50).append(",\"currency\":\"USD\"}\n");
        }
        return ndjson.toString();
    }

    /** The status of a POST, or -1 when the process answered nothing (it was killed). */
    private int post(String key, String path, String contentType, String body) {
        try {
            return HTTP.send(request(key, path).header("Content-Type", contentType)
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private int status(String key, String pathOrUrl) {
        try {
            HttpRequest.Builder get = pathOrUrl.startsWith("http") ? HttpRequest.newBuilder(URI.create(pathOrUrl))
                    : request(key, pathOrUrl);
            return HTTP.send(get.timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private HttpRequest.Builder request(String key, String path) {
        return HttpRequest.newBuilder(URI.create("http://localhost:" + run.httpPort() + path))
                .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + key);
    }

    private String managementUrl(String path) {
        return "http://localhost:" + run.managementPort() + path;
    }

    private static Thread started(Runnable work) {
        Thread thread = new Thread(work, "crash-it-sender");
        thread.start();
        return thread;
    }

    private static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

package io.tastemaker.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tastemaker.demo.DemoEngagement;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Storefront requests against a running service, one at a time, for the reranking figures (run by
 * {@code src/test/bench/run-rerank.sh}):
 * <ul>
 *   <li>{@code latency <baseUrl> <rounds> [dataDir=data]}: each round asks every demo persona's feed, a search and an
 *       assistant request from {@link BenchQueries#QUERIES}, and "more like this" on the first feed item;
 *       prints each surface's latency percentiles and the rerank outcomes seen;</li>
 *   <li>{@code session <baseUrl> <rounds (unused)> [dataDir=data]}: replays a demo storefront session (see
 *       {@link #session}) and prints the rerank cache's hit rate from the service's metrics.</li>
 * </ul>
 * Every request carries the storefront key the service keeps in {@code <dataDir>/keys/storefront} (lists,
 * the assistant and events are all a storefront's); metrics are read on the management port.
 * Sequential on purpose: the figures are what one request pays, not throughput.
 */
public final class StorefrontReplay {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final String management;
    private final String authorization;
    private final Map<String, List<Long>> latencies = new TreeMap<>();
    private final Map<String, Integer> outcomes = new TreeMap<>();
    private double hitsBefore;
    private double missesBefore;

    private StorefrontReplay(String base, Path dataDir) {
        this.base = base;
        this.management = BenchAccess.management(URI.create(base)).toString();
        this.authorization = BenchAccess.bearer(dataDir, BenchAccess.STOREFRONT);
    }

    public static void main(String[] args) throws Exception {
        StorefrontReplay replay = new StorefrontReplay(args[1], Path.of(args.length > 3 ? args[3] : "data"));
        switch (args[0]) {
            case "latency" -> replay.latency(Integer.parseInt(args[2]));
            case "session" -> replay.session();
            default -> throw new IllegalArgumentException("usage: StorefrontReplay latency|session <baseUrl> [rounds] [dataDir=data]");
        }
        replay.report();
    }

    private void latency(int rounds) throws Exception {
        for (int round = 0; round < rounds; round++) {
            for (DemoEngagement.Persona persona : DemoEngagement.PERSONAS) {
                JsonNode feed = get("feed", "/v1/users/" + persona.userId() + "/feed?limit=20");
                if (feed.path("items").size() > 0) {
                    get("similar", "/v1/products/" + feed.path("items").get(0).path("productId").asText() + "/similar?limit=20");
                }
            }
            for (int q = 0; q < 5; q++) {
                String query = BenchQueries.QUERIES.get((round * 5 + q) % BenchQueries.QUERIES.size());
                get("search", "/v1/search?limit=20&q=" + encode(query));
                post("assistant", "/v1/assistant/suggestions", JSON.createObjectNode().put("query", query + " under $200")
                        .put("limit", 10).toString());
            }
        }
    }

    /**
     * A day of storefront traffic on the demo: each demo persona visits twice (home feed, second page,
     * a product and its "more like this", back to the feed after the click has been applied, a search
     * in their own taste and its second page, an assistant request, a pin), and 40 first-time visitors
     * open the home feed and search for one of five popular queries. Every list is asked as a storefront
     * would, events go through POST /v1/events.
     */
    private void session() throws Exception {
        List<String> popular = BenchQueries.QUERIES.subList(0, 5);
        for (int visit = 0; visit < 2; visit++) {
            for (DemoEngagement.Persona persona : DemoEngagement.PERSONAS) {
                String user = persona.userId();
                JsonNode feed = get("feed", "/v1/users/" + user + "/feed?limit=20");
                if (feed.hasNonNull("nextCursor")) {
                    get("feed", "/v1/users/" + user + "/feed?limit=20&cursor=" + feed.get("nextCursor").asText());
                }
                String clicked = feed.path("items").path(2).path("productId").asText(null);
                if (clicked != null) {
                    event("click", user, clicked);
                    get("similar", "/v1/products/" + clicked + "/similar?limit=20&userId=" + user);
                    Thread.sleep(1500); // the click reaches the profile
                    get("feed", "/v1/users/" + user + "/feed?limit=20");
                }
                String query = persona.categories().get(visit % persona.categories().size()).toLowerCase();
                JsonNode search = get("search", "/v1/search?limit=20&userId=" + user + "&q=" + encode(query));
                if (search.hasNonNull("nextCursor")) {
                    get("search", "/v1/search?limit=20&userId=" + user + "&q=" + encode(query) + "&cursor="
                            + search.get("nextCursor").asText());
                }
                post("assistant", "/v1/assistant/suggestions", JSON.createObjectNode().put("userId", user)
                        .put("query", "something for " + persona.taste() + " under $150").put("limit", 10).toString());
                String pinned = search.path("items").path(0).path("productId").asText(null);
                if (pinned != null) {
                    event("pin", user, pinned);
                }
            }
            cacheSoFar("after the demo shoppers' visit " + (visit + 1));
            for (int v = 0; v < 20; v++) {
                String visitor = "visitor-" + UUID.randomUUID().toString().substring(0, 8);
                get("feed", "/v1/users/" + visitor + "/feed?limit=20");
                get("search", "/v1/search?limit=20&q=" + encode(popular.get(v % popular.size())));
            }
            cacheSoFar("after the first-time visitors, round " + (visit + 1));
        }
    }

    /** The rerank cache's counters so far, and the hit rate of the part since the previous call. */
    private void cacheSoFar(String when) throws IOException, InterruptedException {
        String metrics = text("/q/metrics");
        double hits = metric(metrics, "cache_gets_total\\{cache=\"rerank\",result=\"hit\"}");
        double misses = metric(metrics, "cache_gets_total\\{cache=\"rerank\",result=\"miss\"}");
        double partHits = hits - hitsBefore;
        double partMisses = misses - missesBefore;
        System.out.printf("rerank cache %s: this part %.0f hits / %.0f misses (%.1f %%); so far %.0f / %.0f, hit rate %.1f %%%n",
                when, partHits, partMisses, 100 * partHits / Math.max(1, partHits + partMisses), hits, misses,
                100 * hits / Math.max(1, hits + misses));
        hitsBefore = hits;
        missesBefore = misses;
    }

    private void report() throws IOException, InterruptedException {
        latencies.forEach((surface, times) -> {
            List<Long> sorted = new ArrayList<>(times);
            sorted.sort(null);
            System.out.printf("%-10s n=%4d  p50 %6.1f ms  p90 %6.1f ms  p99 %6.1f ms  max %6.1f ms%n", surface,
                    sorted.size(), ms(sorted, 0.50), ms(sorted, 0.90), ms(sorted, 0.99), sorted.get(sorted.size() - 1) / 1e6);
        });
        System.out.println("rerank outcomes: " + outcomes);
        String metrics = text("/q/metrics");
        double prompt = metric(metrics, "tastemaker_rerank_tokens_total\\{kind=\"prompt\"}");
        double completion = metric(metrics, "tastemaker_rerank_tokens_total\\{kind=\"completion\"}");
        double calls = metric(metrics, "tastemaker_rerank_calls_seconds_count\\{result=\"success\"}")
                + metric(metrics, "tastemaker_rerank_calls_seconds_count\\{result=\"failure\"}");
        if (calls > 0) {
            System.out.printf("model calls %.0f: %.0f prompt tokens (%.0f per call), %.0f completion tokens (%.0f per call)%n",
                    calls, prompt, prompt / calls, completion, completion / calls);
        }
        for (String line : metrics.split("\n")) {
            if (line.startsWith("tastemaker_rerank_wait_seconds{") || line.startsWith("tastemaker_rerank_cost")
                    || line.startsWith("tastemaker_rerank_lists_total")) {
                System.out.println("  " + line);
            }
        }
    }

    private static double ms(List<Long> sorted, double q) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(q * sorted.size()) - 1)) / 1e6;
    }

    private static double metric(String metrics, String name) {
        Matcher m = Pattern.compile("(?m)^" + name + "\\s+([0-9.eE+-]+)$").matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    private JsonNode get(String surface, String path) throws IOException, InterruptedException {
        return timed(surface, HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", authorization).GET().build());
    }

    private JsonNode post(String surface, String path, String body) throws IOException, InterruptedException {
        return timed(surface, HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", authorization).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private JsonNode timed(String surface, HttpRequest request) throws IOException, InterruptedException {
        long began = System.nanoTime();
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        latencies.computeIfAbsent(surface, s -> new ArrayList<>()).add(System.nanoTime() - began);
        if (response.statusCode() != 200) {
            throw new IllegalStateException(request.uri() + " answered " + response.statusCode() + ": " + response.body());
        }
        JsonNode json = JSON.readTree(response.body());
        JsonNode rerank = json.path("rerank");
        outcomes.merge(rerank.path("applied").asBoolean() ? "applied" : rerank.path("fallbackReason").asText(), 1, Integer::sum);
        return json;
    }

    private void event(String type, String user, String productId) throws IOException, InterruptedException {
        String body = "{\"events\":[{\"eventId\":\"" + UUID.randomUUID() + "\",\"type\":\"" + type + "\",\"userId\":\""
                + user + "\",\"productId\":\"" + productId + "\",\"occurredAt\":\"" + Instant.now() + "\"}]}";
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/v1/events"))
                .header("Authorization", authorization).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 202) {
            throw new IllegalStateException("event answered " + r.statusCode() + ": " + r.body());
        }
    }

    /** A page of the management port (metrics): no key. */
    private String text(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(management + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}

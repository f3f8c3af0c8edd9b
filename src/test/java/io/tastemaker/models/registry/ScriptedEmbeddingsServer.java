package io.tastemaker.models.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A local stand-in for an OpenAI-compatible embeddings server (TEI, vLLM, Ollama) whose behaviour
 * a test switches: answers, fails with a 500 whose body holds a secret, hangs, or redirects.
 * Records every request it receives, with its Authorization header.
 */
final class ScriptedEmbeddingsServer implements AutoCloseable {

    enum Mode { ANSWER, FAIL, HANG, REDIRECT }

    /** What a failing server says: a test asserts it never reaches a client. */
    static final String SECRET_BODY = "internal error: password=hunter2 at db.internal:5432";

    record Request(String path, String authorization) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "scripted-embeddings");
        t.setDaemon(true);
        return t;
    });
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final CountDownLatch released = new CountDownLatch(1);
    private final int dimension;
    private volatile Mode mode = Mode.ANSWER;
    private volatile String redirectTo;

    ScriptedEmbeddingsServer(int dimension) throws IOException {
        this.dimension = dimension;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        server.setExecutor(threads);
        server.createContext("/", this::handle);
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    /** The base URL on {@code host} (e.g. localhost or 127.0.0.1: the same server under two names). */
    String baseUrl(String host) {
        return "http://" + host + ":" + port() + "/v1";
    }

    void mode(Mode mode) {
        this.mode = mode;
    }

    void redirectTo(String location) {
        this.redirectTo = location;
        this.mode = Mode.REDIRECT;
    }

    List<Request> requests() {
        return requests;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            requests.add(new Request(exchange.getRequestURI().getPath(),
                    exchange.getRequestHeaders().getFirst("Authorization")));
            JsonNode body = JSON.readTree(exchange.getRequestBody());
            switch (mode) {
                case FAIL -> send(exchange, 500, SECRET_BODY);
                case HANG -> { // until the test switches the mode (or closes the server)
                    while (mode == Mode.HANG && !released.await(50, TimeUnit.MILLISECONDS)) {
                        // hanging
                    }
                    send(exchange, 503, SECRET_BODY);
                }
                case REDIRECT -> {
                    exchange.getResponseHeaders().add("Location", redirectTo);
                    send(exchange, 307, SECRET_BODY);
                }
                case ANSWER -> send(exchange, 200, embeddings(body.get("input")));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A vector per text from its hash: the same text always gets the same vector. */
    private String embeddings(JsonNode input) {
        ObjectNode response = JSON.createObjectNode().put("object", "list").put("model", "scripted");
        ArrayNode data = response.putArray("data");
        for (int i = 0; i < input.size(); i++) {
            java.util.Random random = new java.util.Random(input.get(i).asText().hashCode());
            ArrayNode vector = data.addObject().put("object", "embedding").put("index", i).putArray("embedding");
            for (int d = 0; d < dimension; d++) {
                vector.add(random.nextGaussian());
            }
        }
        response.putObject("usage").put("prompt_tokens", input.size()).put("total_tokens", input.size());
        return response.toString();
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", status == 200 ? "application/json" : "text/plain");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        released.countDown();
        server.stop(0);
        threads.shutdownNow();
    }
}

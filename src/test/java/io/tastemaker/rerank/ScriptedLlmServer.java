package io.tastemaker.rerank;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A local stand-in for an OpenAI-compatible chat server (vLLM, Ollama...) whose replies a test
 * scripts: a good ranking, a slow one, malformed JSON, invented ids, partial lists, 429, 500, or
 * a model that obeys instructions hidden in product text. Speaks {@code POST …/chat/completions}
 * and reports token usage counted with the cl100k_base tokenizer.
 */
public final class ScriptedLlmServer implements AutoCloseable {

    /** What the server received: the messages and the candidates parsed from the user message. */
    public record Call(JsonNode body, String system, String user, JsonNode document, List<Candidate> candidates) {

        public List<String> handles() {
            return candidates.stream().map(Candidate::id).toList();
        }
    }

    public record Candidate(String id, String title) {
    }

    /** One scripted answer. */
    public record Reply(int status, String content, Duration delay) {

        public static Reply content(String content) {
            return new Reply(200, content, Duration.ZERO);
        }

        public static Reply status(int status) {
            return new Reply(status, null, Duration.ZERO);
        }

        /** {"ranking":[{"id","reason"}...]} with the given handles, reason "reason for <id>". */
        public static Reply ranking(List<String> ids) {
            return ranking(ids, ids.size());
        }

        /** The first {@code reasons} entries with a reason, the others by id only. */
        public static Reply ranking(List<String> ids, int reasons) {
            ArrayNode ranking = JSON.createArrayNode();
            for (int i = 0; i < ids.size(); i++) {
                ObjectNode entry = ranking.addObject().put("id", ids.get(i));
                if (i < reasons) {
                    entry.put("reason", "reason for " + ids.get(i));
                }
            }
            return content(JSON.createObjectNode().set("ranking", ranking).toString());
        }

        public Reply after(Duration delay) {
            return new Reply(status, content, delay);
        }
    }

    /**
     * The model most tests want: the candidates in reverse order, with a reason naming each of
     * as many as the system message asks for.
     */
    public static final Function<Call, Reply> REVERSE = call -> {
        List<String> ids = new ArrayList<>(call.handles());
        Collections.reverse(ids);
        Matcher asked = Pattern.compile("first (\\d+) entries").matcher(call.system());
        return Reply.ranking(ids, asked.find() ? Integer.parseInt(asked.group(1)) : ids.size());
    };

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Encoding TOKENS = Encodings.newDefaultEncodingRegistry().getEncoding(EncodingType.CL100K_BASE);

    private final HttpServer server;
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private volatile Function<Call, Reply> script = REVERSE;

    public ScriptedLlmServer(int port) throws IOException {
        // like vLLM's or Ollama's servers: without TCP_NODELAY the body waits for the client's delayed ACK (~40 ms)
        System.setProperty("sun.net.httpserver.nodelay", "true");
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 64);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", this::handle);
        server.start();
    }

    public static void main(String... args) throws IOException, InterruptedException {
        int port = Integer.parseInt(args[0]);
        ScriptedLlmServer s = new ScriptedLlmServer(port);
        if (args.length > 1) {
            Duration delay = Duration.ofMillis(Long.parseLong(args[1]));
            s.script(call -> REVERSE.apply(call).after(delay));
        }
        System.out.println("scripted LLM server on http://127.0.0.1:" + s.port() + "/v1");
        Thread.currentThread().join();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port() + "/v1";
    }

    public void script(Function<Call, Reply> script) {
        this.script = script;
    }

    public List<Call> calls() {
        return List.copyOf(calls);
    }

    public void reset() {
        calls.clear();
        script = REVERSE;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!exchange.getRequestURI().getPath().endsWith("/chat/completions")) {
                send(exchange, 404, "{\"error\":{\"message\":\"not found\"}}");
                return;
            }
            JsonNode body = JSON.readTree(exchange.getRequestBody());
            String system = "";
            String user = "";
            for (JsonNode m : body.path("messages")) {
                if (m.path("role").asText().equals("system")) {
                    system = m.path("content").asText();
                } else if (m.path("role").asText().equals("user")) {
                    user = m.path("content").isTextual() ? m.path("content").asText()
                            : m.path("content").path(0).path("text").asText();
                }
            }
            JsonNode document = JSON.readTree(user);
            List<Candidate> candidates = new ArrayList<>();
            document.path("candidates").forEach(c -> candidates.add(new Candidate(c.path("id").asText(), c.path("title").asText())));
            Call call = new Call(body, system, user, document, candidates);
            calls.add(call);
            Reply reply = script.apply(call);
            if (!reply.delay().isZero()) {
                Thread.sleep(reply.delay().toMillis());
            }
            if (reply.status() != 200) {
                send(exchange, reply.status(), "{\"error\":{\"message\":\"scripted " + reply.status() + "\",\"type\":\"scripted\"}}");
                return;
            }
            int promptTokens = TOKENS.countTokens(system) + TOKENS.countTokens(user) + 2 * 4 + 3; // ChatML framing
            ObjectNode answer = JSON.createObjectNode();
            answer.put("id", "chatcmpl-scripted").put("object", "chat.completion").put("model", body.path("model").asText());
            answer.put("created", System.currentTimeMillis() / 1000);
            ObjectNode choice = answer.putArray("choices").addObject();
            choice.put("index", 0).put("finish_reason", "stop");
            choice.putObject("message").put("role", "assistant").put("content", reply.content());
            int completionTokens = TOKENS.countTokens(reply.content());
            answer.putObject("usage").put("prompt_tokens", promptTokens).put("completion_tokens", completionTokens)
                    .put("total_tokens", promptTokens + completionTokens);
            send(exchange, 200, answer.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            send(exchange, 500, "{\"error\":{\"message\":\"" + e.getClass().getSimpleName() + "\"}}");
        }
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().put("Content-Type", List.of("application/json"));
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
    }

    static Map<String, String> titles(Call call) {
        Map<String, String> titles = new java.util.LinkedHashMap<>();
        call.candidates().forEach(c -> titles.put(c.id(), c.title()));
        return titles;
    }
}

package io.tastemaker.rerank;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The reranking LLM: any OpenAI-compatible chat server (vLLM, SGLang, Ollama, llama.cpp) and how
 * much it may cost a storefront request. Off unless {@code tastemaker.rerank.enabled=true}.
 */
@ConfigMapping(prefix = "tastemaker.rerank")
public interface RerankConfig {

    @WithDefault("false")
    boolean enabled();

    /** The server's OpenAI-compatible root, e.g. {@code http://vllm:8000/v1}. */
    Optional<String> baseUrl();

    /** The served model's name, e.g. {@code Qwen/Qwen2.5-7B-Instruct}. */
    Optional<String> model();

    Optional<String> apiKey();

    /** Which lists are reranked: feed, similar, search, assistant. */
    @WithDefault("feed,similar,search,assistant")
    Set<String> surfaces();

    /** How many of the best fused candidates the model reorders; the rest keep their order. */
    @WithDefault("30")
    int topN();

    /**
     * How long a storefront request waits for the model before it answers in the fused order.
     * A reply that arrives later still fills the cache for the next identical request.
     */
    @WithDefault("1500ms")
    Duration budget();

    /** When the HTTP call itself is abandoned (frees its slot in the bulkhead). */
    @WithDefault("20s")
    Duration requestTimeout();

    /** Calls in flight at most; a request finding no free slot is answered at once in fused order. */
    @WithDefault("4")
    int maxConcurrentCalls();

    /**
     * How many of the best-ranked candidates get a reason from the model (the first page a
     * storefront shows). Reasons are most of the reply's tokens: 30 candidates with reasons took
     * 364 completion tokens, ids alone take about 3 each.
     */
    @WithDefault("10")
    int reasons();

    /** Upper bound on the reply. */
    @WithDefault("600")
    int maxOutputTokens();

    /** {@code json_object} asks the server for JSON mode; {@code text} for servers without it. */
    @WithDefault("json_object")
    String responseFormat();

    CircuitBreakerConfig circuitBreaker();

    CacheConfig cache();

    Price price();

    interface CircuitBreakerConfig {
        /** The breaker judges the last this-many calls. */
        @WithDefault("20")
        int window();

        /** No judgement before this many calls. */
        @WithDefault("10")
        int minimumCalls();

        /** Share of failed (error, 429, malformed, over budget) calls that opens the breaker. */
        @WithDefault("0.5")
        double failureRatio();

        /** How long an open breaker stops calls before letting one trial call through. */
        @WithDefault("30s")
        Duration openFor();
    }

    interface CacheConfig {
        /** 0 turns the cache off. */
        @WithDefault("10000")
        long maximumSize();

        @WithDefault("10m")
        Duration ttl();
    }

    /** Prices of the model's tokens, in any currency, per million tokens (for the cost metrics). */
    interface Price {
        @WithDefault("0")
        double promptPerMillion();

        @WithDefault("0")
        double completionPerMillion();
    }

    /** Every problem with an enabled reranker's settings, each naming the setting. */
    static List<String> problems(RerankConfig config) {
        List<String> problems = new ArrayList<>();
        if (!config.enabled()) {
            return problems;
        }
        if (config.baseUrl().filter(u -> u.startsWith("http://") || u.startsWith("https://")).isEmpty()) {
            problems.add("tastemaker.rerank.base-url (env TASTEMAKER_RERANK_BASE_URL) must be the http(s) root of an "
                    + "OpenAI-compatible server, e.g. http://localhost:8000/v1, got " + config.baseUrl().orElse("nothing"));
        }
        if (config.model().filter(m -> !m.isBlank()).isEmpty()) {
            problems.add("tastemaker.rerank.model (env TASTEMAKER_RERANK_MODEL) is required: the served model's name");
        }
        for (String surface : config.surfaces()) {
            if (!List.of("feed", "similar", "search", "assistant").contains(surface)) {
                problems.add("tastemaker.rerank.surfaces may list feed, similar, search, assistant; got '" + surface + "'");
            }
        }
        if (config.topN() < 2 || config.topN() > 100) {
            problems.add("tastemaker.rerank.top-n must be between 2 and 100, got " + config.topN());
        }
        if (config.reasons() < 0 || config.reasons() > config.topN()) {
            problems.add("tastemaker.rerank.reasons must be between 0 and top-n (" + config.topN() + "), got " + config.reasons());
        }
        if (config.budget().isNegative() || config.budget().isZero()) {
            problems.add("tastemaker.rerank.budget must be positive, got " + config.budget());
        }
        if (config.maxConcurrentCalls() < 1) {
            problems.add("tastemaker.rerank.max-concurrent-calls must be at least 1, got " + config.maxConcurrentCalls());
        }
        if (!List.of("json_object", "text").contains(config.responseFormat())) {
            problems.add("tastemaker.rerank.response-format must be json_object or text, got '" + config.responseFormat() + "'");
        }
        CircuitBreakerConfig breaker = config.circuitBreaker();
        if (breaker.window() < 1 || breaker.minimumCalls() < 1 || breaker.minimumCalls() > breaker.window()) {
            problems.add("tastemaker.rerank.circuit-breaker.minimum-calls must be between 1 and circuit-breaker.window ("
                    + breaker.window() + "), got " + breaker.minimumCalls());
        }
        if (!(breaker.failureRatio() > 0 && breaker.failureRatio() <= 1)) {
            problems.add("tastemaker.rerank.circuit-breaker.failure-ratio must be in (0, 1], got " + breaker.failureRatio());
        }
        if (config.price().promptPerMillion() < 0 || config.price().completionPerMillion() < 0) {
            problems.add("tastemaker.rerank.price.* must not be negative");
        }
        return problems;
    }
}

package io.tastemaker.rerank;

import io.tastemaker.resilience.CircuitBreaker;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.exception.HttpException;
import dev.langchain4j.exception.InternalServerException;
import dev.langchain4j.exception.RateLimitException;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.TokenUsage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import org.jboss.logging.Logger;

import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.DoubleAdder;

/**
 * Reranks with an LLM behind LangChain4j's {@link ChatModel}, guarded so the storefront never
 * waits longer than the budget and never fails because of the model: a cache of earlier answers,
 * a bulkhead (at most N calls in flight, the rest answered at once), a circuit breaker, and the
 * budget itself. A call that outlives the budget goes on in the background and fills the cache.
 */
public final class LlmReranker implements Reranker, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(LlmReranker.class);

    /** How the reranker behaves; {@link #of(RerankConfig)} reads it from the service's config. */
    public record Settings(Duration budget, int reasons, int maxConcurrentCalls, int breakerWindow, int breakerMinimumCalls,
                           double breakerFailureRatio, Duration breakerOpenFor, long cacheSize, Duration cacheTtl,
                           double promptPricePerMillion, double completionPricePerMillion) {

        public static Settings of(RerankConfig config) {
            RerankConfig.CircuitBreakerConfig b = config.circuitBreaker();
            return new Settings(config.budget(), config.reasons(), config.maxConcurrentCalls(), b.window(), b.minimumCalls(),
                    b.failureRatio(), b.openFor(), config.cache().maximumSize(), config.cache().ttl(),
                    config.price().promptPerMillion(), config.price().completionPerMillion());
        }
    }

    private final ChatModel chat;
    private final String model;
    private final Settings settings;
    private final Semaphore bulkhead;
    private final CircuitBreaker breaker;
    private final Cache<String, RerankReply.Parsed> cache;
    private final ExecutorService calls;
    private final MeterRegistry registry;
    private final Timer wait;
    private final Counter promptTokens;
    private final Counter completionTokens;
    private final DoubleAdder cost = new DoubleAdder();
    private final DoubleAdder lists = new DoubleAdder();

    public LlmReranker(ChatModel chat, String model, Settings settings, MeterRegistry registry) {
        this.chat = chat;
        this.model = model;
        this.settings = settings;
        this.registry = registry;
        this.bulkhead = new Semaphore(settings.maxConcurrentCalls());
        this.breaker = new CircuitBreaker(settings.breakerWindow(), settings.breakerMinimumCalls(),
                settings.breakerFailureRatio(), settings.breakerOpenFor(), System::nanoTime);
        this.cache = Caffeine.newBuilder().maximumSize(settings.cacheSize()).expireAfterWrite(settings.cacheTtl())
                .recordStats().build();
        AtomicInteger threads = new AtomicInteger();
        this.calls = Executors.newCachedThreadPool(task -> {
            Thread t = new Thread(task, "rerank-llm-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        CaffeineCacheMetrics.monitor(registry, cache, "rerank");
        this.wait = Timer.builder("tastemaker.rerank.wait").description("How long a list waited for the reranker")
                .publishPercentiles(0.5, 0.9, 0.99).register(registry);
        this.promptTokens = Counter.builder("tastemaker.rerank.tokens").tag("kind", "prompt").register(registry);
        this.completionTokens = Counter.builder("tastemaker.rerank.tokens").tag("kind", "completion").register(registry);
        registry.gauge("tastemaker.rerank.cost", cost, DoubleAdder::sum);
        registry.gauge("tastemaker.rerank.cost.per.thousand.lists", this,
                r -> r.lists.sum() == 0 ? 0 : r.cost.sum() / r.lists.sum() * 1000);
        registry.gauge("tastemaker.rerank.circuit.open", breaker, b -> b.state() == CircuitBreaker.State.CLOSED ? 0 : 1);
    }

    @Override
    public CompletionStage<Outcome> rerank(Request request) {
        long started = System.nanoTime();
        lists.add(1);
        RerankPrompt prompt = RerankPrompt.of(request, settings.reasons());
        if (!prompt.heldOut().isEmpty()) {
            registry.counter("tastemaker.rerank.held.out").increment(prompt.heldOut().size());
        }
        List<String> candidates = request.candidates().stream().map(Item::productId).toList();
        if (prompt.handles().size() < 2) {
            return done(started, Outcome.fallback(model, Outcome.TOO_FEW), "too_few");
        }
        String key = cacheKey(prompt);
        RerankReply.Parsed cached = cache.getIfPresent(key);
        if (cached != null) {
            return done(started, applied(candidates, prompt, cached), "cached");
        }
        if (!bulkhead.tryAcquire()) {
            return done(started, Outcome.fallback(model, Outcome.BUSY), Outcome.BUSY);
        }
        if (!breaker.tryAcquire()) {
            bulkhead.release();
            return done(started, Outcome.fallback(model, Outcome.CIRCUIT_OPEN), Outcome.CIRCUIT_OPEN);
        }
        CompletableFuture<RerankReply.Parsed> call;
        try {
            call = CompletableFuture.supplyAsync(() -> ask(prompt, key), calls);
        } catch (RuntimeException rejected) {
            bulkhead.release();
            breaker.onFailure();
            return done(started, Outcome.fallback(model, Outcome.ERROR), Outcome.ERROR);
        }
        return call.copy()
                .orTimeout(settings.budget().toNanos(), TimeUnit.NANOSECONDS)
                .handleAsync((parsed, error) -> {
                    Outcome outcome = error == null ? applied(candidates, prompt, parsed)
                            : Outcome.fallback(model, reason(error));
                    record(started, outcome.applied() ? "reranked" : outcome.fallbackReason());
                    return outcome;
                }, calls); // not on the JDK's single timeout thread
    }

    /** The model call, on a bulkhead thread. Judged by the breaker: failed, or slower than the budget. */
    private RerankReply.Parsed ask(RerankPrompt prompt, String key) {
        long began = System.nanoTime();
        boolean ok = false;
        try {
            ChatResponse response = chat.chat(ChatRequest.builder()
                    .messages(SystemMessage.from(prompt.system()), UserMessage.from(prompt.user()))
                    .build());
            count(response.tokenUsage());
            RerankReply.Parsed parsed = RerankReply.parse(response.aiMessage().text(), prompt);
            repairs("invented", parsed.invented());
            repairs("duplicate", parsed.duplicates());
            repairs("missing", parsed.missing());
            cache.put(key, parsed);
            ok = System.nanoTime() - began <= settings.budget().toNanos();
            return parsed;
        } catch (RerankReply.MalformedReply e) {
            LOG.debugf("Reranker reply unusable: %s", e.getMessage());
            throw new CompletionException(e);
        } finally {
            bulkhead.release();
            if (ok) {
                breaker.onSuccess();
            } else {
                if (breaker.onFailure()) {
                    LOG.warnf("Reranker circuit open: %s fails or is slower than %s; lists keep their fused order "
                            + "for %s", model, settings.budget(), settings.breakerOpenFor());
                }
            }
            registry.timer("tastemaker.rerank.calls", "result", ok ? "success" : "failure")
                    .record(System.nanoTime() - began, TimeUnit.NANOSECONDS);
        }
    }

    private Outcome applied(List<String> candidates, RerankPrompt prompt, RerankReply.Parsed parsed) {
        return Outcome.applied(model, RerankReply.order(candidates, prompt, parsed.chosen()), parsed.reasons());
    }

    private CompletionStage<Outcome> done(long started, Outcome outcome, String result) {
        record(started, result);
        return CompletableFuture.completedFuture(outcome);
    }

    private void record(long started, String result) {
        wait.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        registry.counter("tastemaker.rerank.lists", "outcome", result).increment();
    }

    private void count(TokenUsage usage) {
        if (usage == null) {
            return;
        }
        int prompt = usage.inputTokenCount() == null ? 0 : usage.inputTokenCount();
        int completion = usage.outputTokenCount() == null ? 0 : usage.outputTokenCount();
        promptTokens.increment(prompt);
        completionTokens.increment(completion);
        cost.add((prompt * settings.promptPricePerMillion() + completion * settings.completionPricePerMillion()) / 1e6);
    }

    private void repairs(String kind, int count) {
        if (count > 0) {
            registry.counter("tastemaker.rerank.repairs", "kind", kind).increment(count);
        }
    }

    /** The fallback reason a storefront sees for a failed or late call. */
    static String reason(Throwable error) {
        for (Throwable e = error; e != null; e = e.getCause()) {
            if (e instanceof TimeoutException || e instanceof HttpTimeoutException
                    || e instanceof dev.langchain4j.exception.TimeoutException) {
                return Outcome.TIMEOUT;
            }
            if (e instanceof RateLimitException) {
                return Outcome.RATE_LIMITED;
            }
            if (e instanceof InternalServerException) {
                return Outcome.SERVER_ERROR;
            }
            if (e instanceof HttpException http) {
                return http.statusCode() == 429 ? Outcome.RATE_LIMITED
                        : http.statusCode() >= 500 ? Outcome.SERVER_ERROR : Outcome.ERROR;
            }
            if (e instanceof RerankReply.MalformedReply) {
                return Outcome.MALFORMED;
            }
        }
        return Outcome.ERROR;
    }

    /**
     * The model and the whole prompt: the same shopper context, request and candidates (ids,
     * order and text) get the same answer; anything that changes what the model sees is a new key.
     */
    private String cacheKey(RerankPrompt prompt) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(model.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(prompt.system().getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(prompt.user().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    @Override
    public void close() {
        calls.shutdownNow();
    }
}

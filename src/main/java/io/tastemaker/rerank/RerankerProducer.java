package io.tastemaker.rerank;

import dev.langchain4j.model.openai.OpenAiChatModel;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import org.jboss.logging.Logger;

import java.util.List;

/** The service's reranker: the configured OpenAI-compatible LLM, or none. */
@ApplicationScoped
public class RerankerProducer {

    private static final Logger LOG = Logger.getLogger(RerankerProducer.class);

    @Produces
    @ApplicationScoped
    @Startup
    Reranker reranker(RerankConfig config, MeterRegistry registry) {
        List<String> problems = RerankConfig.problems(config);
        if (!problems.isEmpty()) {
            throw new IllegalStateException("Invalid Tastemaker configuration:\n  - " + String.join("\n  - ", problems));
        }
        if (!config.enabled()) {
            LOG.info("LLM reranking is off (tastemaker.rerank.enabled=false): lists keep their fused order");
            return Reranker.DISABLED;
        }
        String model = config.model().orElseThrow();
        OpenAiChatModel chat = OpenAiChatModel.builder()
                .baseUrl(config.baseUrl().orElseThrow())
                .apiKey(config.apiKey().orElse("none")) // local servers ignore it; the client needs one
                .modelName(model)
                .temperature(0.0)
                .maxTokens(config.maxOutputTokens())
                .responseFormat(config.responseFormat().equals("json_object") ? "json_object" : null)
                .timeout(config.requestTimeout())
                .maxRetries(0) // a retry cannot fit in a storefront's budget; the breaker handles outages
                .build();
        LOG.infof("LLM reranking with %s at %s: top %d, budget %s, at most %d calls in flight",
                model, config.baseUrl().get(), config.topN(), config.budget(), config.maxConcurrentCalls());
        return new LlmReranker(chat, model, LlmReranker.Settings.of(config), registry);
    }

    void close(@Disposes Reranker reranker) {
        if (reranker instanceof LlmReranker llm) {
            llm.close();
        }
    }
}

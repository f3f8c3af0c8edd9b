package io.tastemaker.rerank;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Reorders the best candidates of a list for one shopper. Never fails: when no usable order can be
 * had in time the outcome says why, and the caller keeps its own order.
 */
public interface Reranker {

    CompletionStage<Outcome> rerank(Request request);

    /** The reranker of a service without an LLM. */
    Reranker DISABLED = request -> CompletableFuture.completedFuture(Outcome.fallback(null, Outcome.DISABLED));

    /** What the model may know: the list, the shopper's words, a compact taste, the candidates in fused order. */
    record Request(String surface, String query, Shopper shopper, List<Item> candidates) {

        public Request {
            shopper = shopper == null ? Shopper.UNKNOWN : shopper;
            candidates = List.copyOf(candidates);
        }
    }

    /** A shopper's taste in a few words: strongest categories and brands, recently engaged titles. */
    record Shopper(List<String> categories, List<String> brands, List<String> recent) {

        public static final Shopper UNKNOWN = new Shopper(List.of(), List.of(), List.of());

        public Shopper {
            categories = List.copyOf(categories);
            brands = List.copyOf(brands);
            recent = List.copyOf(recent);
        }
    }

    /** A product as the model sees it. Every field is untrusted text from the catalog. */
    record Item(String productId, String title, String brand, String category, BigDecimal price,
                     String currency, List<String> tags) {
    }

    /**
     * The model's order (all candidates, each once) and its reasons by product id; or, when not
     * applied, why not.
     */
    record Outcome(boolean applied, String model, String fallbackReason, List<String> order,
                   Map<String, String> reasons) {

        public static final String DISABLED = "disabled";
        public static final String TIMEOUT = "timeout";
        public static final String RATE_LIMITED = "rate_limited";
        public static final String SERVER_ERROR = "server_error";
        public static final String MALFORMED = "malformed_output";
        public static final String CIRCUIT_OPEN = "circuit_open";
        public static final String BUSY = "busy";
        public static final String ERROR = "error";
        public static final String TOO_FEW = "too_few_candidates";

        public static Outcome fallback(String model, String reason) {
            return new Outcome(false, model, reason, List.of(), Map.of());
        }

        public static Outcome applied(String model, List<String> order, Map<String, String> reasons) {
            return new Outcome(true, model, null, List.copyOf(order), Map.copyOf(reasons));
        }
    }
}

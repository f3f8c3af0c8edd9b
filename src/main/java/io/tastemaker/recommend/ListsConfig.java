package io.tastemaker.recommend;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** How long a storefront list may wait on what it depends on (docs/operations.md#deadlines-and-degraded-lists). */
@ConfigMapping(prefix = "tastemaker.lists")
public interface ListsConfig {

    /**
     * A list's budget for waiting on PostgreSQL and the vector store: a source or a look-up that
     * has not answered by then is left out and named in the answer's {@code degraded}. Work in
     * memory (cached reads, the embedded index, ranking) is not cut short; the LLM reranking has
     * its own budget.
     */
    @WithDefault("250ms")
    Duration deadline();

    /** The {@code Retry-After} of a 503 answered when no source at all could answer. */
    @WithDefault("2s")
    Duration retryAfter();
}

package io.tastemaker.testing;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.Map;

/**
 * A service with a tiny capacity and quick failure detection, on a data directory of its own:
 * two lists in flight at most, the LLM reranker (on search only) pointing at a scripted server
 * that a test can hold, so requests stay in flight as long as it likes, and a PostgreSQL probe
 * every 200 ms. Shared by the load-shedding, outage and fallback tests, so it starts once.
 */
public class SmallInstance implements QuarkusTestProfile {

    public static final int LISTS_IN_FLIGHT = 2;
    public static final int LLM_PORT = Integer.parseInt(System.getenv().getOrDefault("_TEST_TASTEMAKER_SMALL_LLM_PORT",
            "28182"));
    public static final String DATA_DIR = "target/test-data-small";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.ofEntries(
                Map.entry("tastemaker.data-dir", DATA_DIR),
                Map.entry("tastemaker.admission.lists-max-in-flight", String.valueOf(LISTS_IN_FLIGHT)),
                Map.entry("tastemaker.database.probe-interval", "200ms"),
                Map.entry("tastemaker.database.probe-timeout", "500ms"),
                Map.entry("tastemaker.rerank.enabled", "true"),
                Map.entry("tastemaker.rerank.surfaces", "search"),
                Map.entry("tastemaker.rerank.base-url", "http://127.0.0.1:" + LLM_PORT + "/v1"),
                Map.entry("tastemaker.rerank.model", "scripted-qwen"),
                // held calls must outlast the test's hold, never answer in fused order on their own
                Map.entry("tastemaker.rerank.budget", "120s"),
                Map.entry("tastemaker.rerank.request-timeout", "120s"),
                Map.entry("tastemaker.rerank.max-concurrent-calls", "8"));
    }
}

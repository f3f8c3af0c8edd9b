package io.tastemaker.bench;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.Map;

/**
 * Benchmarks run on their own data directory and ports: the millions of events and thousands of
 * products they write must not slow down or change what the tests see in {@code target/test-data}.
 */
public class BenchmarkProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "tastemaker.data-dir", "target/bench-data",
                "tastemaker.embedded.postgres-port", "45432",
                "tastemaker.embedded.kafka-port", "49092",
                "tastemaker.embedded.kafka-controller-port", "49093");
    }
}

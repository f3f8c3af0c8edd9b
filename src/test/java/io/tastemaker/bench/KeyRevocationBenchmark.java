package io.tastemaker.bench;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.tastemaker.security.ApiKeyStore;
import io.tastemaker.security.ApiKeys;
import io.tastemaker.security.Roles;
import io.tastemaker.security.SecurityConfig;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

/**
 * How long a revoked key keeps working on another instance. "Another instance" is a second key
 * cache with its own poller, as every API pod runs one, sharing this run's PostgreSQL; the
 * revocation is made through the store as the revoking instance's REST call makes it. Per
 * sample: create a key, wait until the other instance accepts it, wait a random part of a poll
 * interval, revoke it, time until the other instance refuses it (checked every 0.2 ms). Not a test: asserts nothing, runs on request:
 * {@code ./mvnw test -Dgroups=benchmark -Dbench.excluded=none -Dtest=KeyRevocationBenchmark}.
 */
@QuarkusTest
@TestProfile(BenchmarkProfile.class)
@Tag("benchmark")
class KeyRevocationBenchmark {

    static final int SAMPLES = Integer.getInteger("bench.samples", 200);

    @Inject
    ApiKeyStore store;
    @Inject
    SecurityConfig config;

    @Test
    void measure() throws Exception {
        ApiKeys other = ApiKeys.forAnotherInstance(store, config);
        try {
            long[] nanos = new long[SAMPLES];
            java.util.Random random = new java.util.Random(7);
            for (int i = 0; i < SAMPLES; i++) {
                ApiKeyStore.Created key = store.create(new ApiKeyStore.NewKey("revocation-" + i, List.of(Roles.STOREFRONT),
                        null, null, "benchmark"));
                while (other.peek(key.secret()).isEmpty()) {
                    Thread.sleep(1);
                }
                // the other instance just polled (it saw the key): revoke at a random point of its poll cycle
                Thread.sleep(random.nextInt((int) config.keyPollInterval().toMillis()));
                long revoked = System.nanoTime();
                store.revoke(key.key().id());
                while (other.peek(key.secret()).isPresent()) {
                    Thread.onSpinWait();
                    java.util.concurrent.locks.LockSupport.parkNanos(200_000);
                }
                nanos[i] = System.nanoTime() - revoked;
            }
            Arrays.sort(nanos);
            System.out.printf("Key revocation → refused on another instance (poll interval %d ms, %d samples):"
                            + " p50 %.0f ms, p90 %.0f ms, p99 %.0f ms, max %.0f ms%n", config.keyPollInterval().toMillis(),
                    SAMPLES, at(nanos, 0.50), at(nanos, 0.90), at(nanos, 0.99), nanos[SAMPLES - 1] / 1e6);
        } finally {
            other.close();
        }
    }

    private static double at(long[] sorted, double quantile) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(quantile * sorted.length) - 1)] / 1e6;
    }
}

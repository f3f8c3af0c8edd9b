package io.tastemaker.bench;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.tastemaker.catalog.CatalogPublisher;
import io.tastemaker.catalog.Product;
import io.tastemaker.demo.DemoCatalog;
import io.tastemaker.embedding.ActiveModel;
import io.tastemaker.embedding.EmbeddingConfig;
import io.tastemaker.embedding.ProductText;
import io.tastemaker.vectors.VectorIndex;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Figures (a) and (b) of the foundation issue, measured on the real broker, database and model:
 * the embedding pipeline's throughput beside the raw model's {@code embedAll} on the same texts
 * in the same JVM, and the time from a product published on Kafka to it being searchable.
 * Not a test: it asserts nothing and runs only on request:
 * {@code ./mvnw test -Dgroups=benchmark -Dbench.excluded=none -Dtest=PipelineBenchmark}.
 */
@QuarkusTest
@TestProfile(BenchmarkProfile.class)
@Tag("benchmark")
class PipelineBenchmark {

    static final int PRODUCTS = Integer.getInteger("bench.products", 2000);
    static final int LATENCY_SAMPLES = Integer.getInteger("bench.latencySamples", 100);

    @Inject
    ActiveModel model;
    @Inject
    VectorIndex index;
    @Inject
    CatalogPublisher publisher;
    @Inject
    EmbeddingConfig config;

    @Test
    void measure() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 6);
        List<Product> products = DemoCatalog.generate(PRODUCTS + LATENCY_SAMPLES, 4242).stream()
                .map(p -> p.withId("bench-" + run + "-" + p.id())).toList();
        List<Product> throughputSet = products.subList(0, PRODUCTS);
        List<String> texts = throughputSet.stream().map(ProductText::of).toList();

        // warm up both paths a little so neither pays for JIT alone
        model.embedAll(texts.subList(0, 64));

        long rawStart = System.nanoTime();
        for (int from = 0; from < texts.size(); from += config.batchSize()) {
            model.embedAll(texts.subList(from, Math.min(texts.size(), from + config.batchSize())));
        }
        double rawSeconds = (System.nanoTime() - rawStart) / 1e9;

        long before = index.count();
        long pipelineStart = System.nanoTime();
        List<CompletableFuture<?>> acks = new ArrayList<>();
        for (Product p : throughputSet) {
            acks.add(publisher.upsert(p));
        }
        CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(1, TimeUnit.MINUTES);
        while (index.count() < before + PRODUCTS) {
            Thread.sleep(20);
        }
        double pipelineSeconds = (System.nanoTime() - pipelineStart) / 1e9;

        double[] latenciesMs = new double[LATENCY_SAMPLES];
        for (int i = 0; i < LATENCY_SAMPLES; i++) {
            Product p = products.get(PRODUCTS + i);
            long published = System.nanoTime();
            publisher.upsert(p).get(10, TimeUnit.SECONDS);
            while (index.get(List.of(p.id())).isEmpty()) {
                Thread.sleep(1);
            }
            latenciesMs[i] = (System.nanoTime() - published) / 1e6;
            Thread.sleep(100);
        }
        Arrays.sort(latenciesMs);

        String report = String.format("""
                        Tastemaker pipeline benchmark (%d cores, %s, model %s, batch %d, max wait %d ms)
                        (a) raw model embedAll:      %d texts in %.1f s = %.1f texts/s
                            embedding pipeline:      %d products published -> indexed in %.1f s = %.1f products/s
                            pipeline / raw:          %.2f
                        (b) published on Kafka -> searchable, %d products one at a time:
                            p50 %.0f ms, p99 %.0f ms, max %.0f ms
                        """,
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), model.version(),
                config.batchSize(), config.maxWait().toMillis(),
                PRODUCTS, rawSeconds, PRODUCTS / rawSeconds,
                PRODUCTS, pipelineSeconds, PRODUCTS / pipelineSeconds,
                rawSeconds / pipelineSeconds,
                LATENCY_SAMPLES, percentile(latenciesMs, 0.50), percentile(latenciesMs, 0.99),
                latenciesMs[latenciesMs.length - 1]);
        System.out.println(report);
        Files.createDirectories(Path.of("target/benchmarks"));
        Files.writeString(Path.of("target/benchmarks/pipeline.txt"), report);
    }

    private static double percentile(double[] sorted, double p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
    }
}

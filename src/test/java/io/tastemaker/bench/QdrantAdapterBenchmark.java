package io.tastemaker.bench;

import io.tastemaker.vectors.ProductPayload;
import io.tastemaker.vectors.QdrantStandIn;
import io.tastemaker.vectors.QdrantTestConfig;
import io.tastemaker.vectors.QdrantVectorStore;
import io.tastemaker.vectors.VectorFilter;
import io.tastemaker.vectors.VectorIndex;
import io.tastemaker.vectors.VectorRecord;
import io.tastemaker.vectors.VectorsConfig;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * The Qdrant adapter's client-side cost: upsert throughput and search latency through the
 * official gRPC client against the in-process stand-in, with the stand-in's own compute time
 * measured and subtracted. Not a test; runs only on request:
 * {@code ./mvnw test -Dgroups=benchmark -Dbench.excluded=none -Dtest=QdrantAdapterBenchmark}.
 */
@Tag("benchmark")
class QdrantAdapterBenchmark {

    static final int DIMENSION = 384;

    @Test
    void measure() throws Exception {
        StringBuilder report = new StringBuilder(String.format(
                "Qdrant adapter over the in-process stand-in (%d cores, %d dimensions)%n",
                Runtime.getRuntime().availableProcessors(), DIMENSION));
        Random random = new Random(1);
        try (QdrantStandIn qdrant = new QdrantStandIn();
             QdrantVectorStore store = QdrantVectorStore.over(qdrant.channel(), config())) {
            VectorIndex index = store.collection("bench", DIMENSION);
            index.upsert(records(0, 2_000, random)); // warm-up

            int points = 20_000;
            List<VectorRecord> batch = records(2_000, points, random);
            long server = qdrant.serverNanos();
            long started = System.nanoTime();
            index.upsert(batch);
            double seconds = (System.nanoTime() - started) / 1e9;
            double serverSeconds = (qdrant.serverNanos() - server) / 1e9;
            report.append(String.format("upsert: %,d points in %.2f s = %,.0f points/s (stand-in compute %.2f s;"
                    + " client side %,.0f points/s)%n", points, seconds, points / seconds, serverSeconds,
                    points / Math.max(1e-9, seconds - serverSeconds)));

            VectorFilter filter = new VectorFilter("home", null, null, new BigDecimal("500"), true, Set.of());
            for (String shape : List.of("unfiltered", "filtered")) {
                VectorFilter f = shape.equals("filtered") ? filter : VectorFilter.NONE;
                for (int i = 0; i < 500; i++) {
                    index.search(vector(random), f, 20);
                }
                int searches = 3_000;
                double[] totalMs = new double[searches];
                double[] clientMs = new double[searches];
                for (int i = 0; i < searches; i++) {
                    float[] q = vector(random);
                    long before = qdrant.serverNanos();
                    long t = System.nanoTime();
                    index.search(q, f, 20);
                    long elapsed = System.nanoTime() - t;
                    totalMs[i] = elapsed / 1e6;
                    clientMs[i] = (elapsed - (qdrant.serverNanos() - before)) / 1e6;
                }
                Arrays.sort(totalMs);
                Arrays.sort(clientMs);
                report.append(String.format("search %s, k=20, %,d points: total p50 %.3f ms p99 %.3f ms;"
                                + " client side (total minus stand-in compute) p50 %.3f ms p99 %.3f ms%n", shape,
                        index.count(), totalMs[searches / 2], totalMs[searches * 99 / 100], clientMs[searches / 2],
                        clientMs[searches * 99 / 100]));
            }
        }
        System.out.println(report);
        Files.createDirectories(Path.of("target/benchmarks"));
        Files.writeString(Path.of("target/benchmarks/qdrant-adapter.txt"), report);
    }

    private static List<VectorRecord> records(int from, int count, Random random) {
        List<VectorRecord> records = new ArrayList<>(count);
        for (int i = from; i < from + count; i++) {
            records.add(new VectorRecord("p" + i, vector(random), new ProductPayload("Product " + i, "Brand" + (i % 40),
                    List.of(i % 2 == 0 ? "Home" : "Kitchen", "Cat" + (i % 25)), List.of("tag" + (i % 9)),
                    BigDecimal.valueOf(5 + i % 900), "USD", "https://img.example/" + i + ".jpg", i % 10 != 0, "h" + i)));
        }
        return records;
    }

    private static float[] vector(Random random) {
        float[] v = new float[DIMENSION];
        for (int i = 0; i < DIMENSION; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return v;
    }

    private static VectorsConfig.Qdrant config() {
        return new QdrantTestConfig("in-process", 0, 256, Duration.ofSeconds(30));
    }
}

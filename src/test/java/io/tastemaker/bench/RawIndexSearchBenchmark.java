package io.tastemaker.bench;

import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.bgesmallenv15q.BgeSmallEnV15QuantizedEmbeddingModel;
import io.tastemaker.vectors.LuceneVectorIndex;
import io.tastemaker.vectors.VectorFilter;
import io.tastemaker.vectors.VectorHit;
import io.tastemaker.vectors.VectorRecord;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.store.FSDirectory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * In-process search throughput of the load-test index, the ceiling the HTTP API is compared to.
 * The operations are the ones RecommendationService performs for the default page (k = 20):
 * similar = get(id) then search(vector, excluding id, 20); search = search(query vector, none, 20)
 * with the query vectors embedded once (the service caches query embeddings the same way).
 *
 * <p>Usage: {@code RawIndexSearchBenchmark <dataDir> [seconds=20] [warmupSeconds=5] [threads=2] [k=20]}.
 * The service must not be running on the same data directory (the index takes a write lock).
 */
public final class RawIndexSearchBenchmark {

    private RawIndexSearchBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: RawIndexSearchBenchmark <dataDir> [seconds=20] [warmupSeconds=5] [threads=2] [k=20]");
            System.exit(2);
        }
        Path dataDir = Path.of(args[0]).toAbsolutePath();
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        int threads = args.length > 3 ? Integer.parseInt(args[3]) : 2;
        int k = args.length > 4 ? Integer.parseInt(args[4]) : 20;
        if (seconds < 1 || seconds > 600 || warmup < 0 || warmup > 600 || threads < 1 || threads > 64 || k < 1 || k > 1000) {
            throw new IllegalArgumentException("seconds 1..600, warmup 0..600, threads 1..64, k 1..1000");
        }
        Path indexDir = BenchFiles.indexDir(dataDir);
        if (!Files.isDirectory(indexDir)) {
            throw new IllegalStateException("no index in " + indexDir + "; run LoadCatalogBuilder first");
        }
        try (FSDirectory dir = FSDirectory.open(indexDir); DirectoryReader reader = DirectoryReader.open(dir)) {
            System.out.printf(Locale.ROOT, "Index %s: %,d products in %d segments, %.1f MiB on disk%n", indexDir,
                    reader.numDocs(), reader.leaves().size(), BenchFiles.sizeOnDisk(indexDir) / 1048576.0);
        }
        List<String> ids = BenchFiles.lines(dataDir.resolve(BenchFiles.IDS));
        List<String> queries = BenchFiles.lines(dataDir.resolve(BenchFiles.QUERIES));

        EmbeddingModel model = new BgeSmallEnV15QuantizedEmbeddingModel();
        model.embed("warm up");
        long embedStarted = System.nanoTime();
        List<float[]> queryVectors = new ArrayList<>();
        for (String q : queries) {
            // as RecommendationService normalises before embedding
            queryVectors.add(model.embed(q.trim().replaceAll("\\s+", " ")).content().vector());
        }
        System.out.printf(Locale.ROOT, "Embedded %d queries, %.1f ms each (one thread, not part of the figures)%n",
                queries.size(), (System.nanoTime() - embedStarted) / 1e6 / queries.size());

        try (LuceneVectorIndex index = LuceneVectorIndex.open(indexDir)) {
            Op similar = () -> {
                String id = ids.get(ThreadLocalRandom.current().nextInt(ids.size()));
                VectorRecord product = index.get(List.of(id)).get(id);
                if (product == null) {
                    throw new IllegalStateException("id " + id + " is not in the index");
                }
                return index.search(product.vector(), VectorFilter.NONE.excluding(Set.of(id)), k);
            };
            Op search = () -> index.search(queryVectors.get(ThreadLocalRandom.current().nextInt(queryVectors.size())),
                    VectorFilter.NONE, k);

            double similarRate = run("similar", similar, threads, warmup, seconds, k);
            double searchRate = run("search", search, threads, warmup, seconds, k);
            System.out.printf(Locale.ROOT, "RAW_RESULT similar_per_s=%.1f search_per_s=%.1f threads=%d k=%d seconds=%d%n",
                    similarRate, searchRate, threads, k, seconds);
        }
    }

    @FunctionalInterface
    private interface Op {
        List<VectorHit> run();
    }

    private static double run(String name, Op op, int threads, int warmupSeconds, int seconds, int k) throws Exception {
        phase(op, threads, warmupSeconds, k);
        long[] result = phase(op, threads, seconds, k);
        double rate = result[0] / (result[1] / 1e9);
        System.out.printf(Locale.ROOT, "raw %-7s: %,.0f searches/s (%d threads, %d s, k=%d, %,d searches, %.3f ms mean)%n",
                name, rate, threads, seconds, k, result[0], threads * (result[1] / 1e6) / Math.max(1, result[0]));
        return rate;
    }

    /** Runs op on every thread for the given time; returns {operations, elapsed nanos}. */
    private static long[] phase(Op op, int threads, int seconds, int k) throws Exception {
        if (seconds == 0) {
            return new long[] {0, 1};
        }
        LongAdder done = new LongAdder();
        AtomicBoolean stop = new AtomicBoolean();
        List<Throwable> failures = new ArrayList<>();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread worker = new Thread(() -> {
                try {
                    while (!stop.get()) {
                        List<VectorHit> hits = op.run();
                        if (hits.size() != k) {
                            throw new IllegalStateException("expected " + k + " hits, got " + hits.size());
                        }
                        done.increment();
                    }
                } catch (Throwable e) {
                    synchronized (failures) {
                        failures.add(e);
                    }
                    stop.set(true);
                }
            }, "bench-" + t);
            workers.add(worker);
        }
        long started = System.nanoTime();
        workers.forEach(Thread::start);
        long deadline = started + seconds * 1_000_000_000L;
        while (!stop.get() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        stop.set(true);
        for (Thread worker : workers) {
            worker.join();
        }
        long elapsed = System.nanoTime() - started;
        if (!failures.isEmpty()) {
            throw new IllegalStateException("a search failed", failures.get(0));
        }
        return new long[] {done.sum(), elapsed};
    }
}

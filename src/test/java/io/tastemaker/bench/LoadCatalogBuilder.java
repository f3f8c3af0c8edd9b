package io.tastemaker.bench;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.bgesmallenv15q.BgeSmallEnV15QuantizedEmbeddingModel;
import io.tastemaker.catalog.Product;
import io.tastemaker.demo.DemoCatalog;
import io.tastemaker.embedding.ProductText;
import io.tastemaker.vectors.LuceneVectorIndex;
import io.tastemaker.vectors.VectorRecord;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * Builds the load-test catalog: a Lucene index of {@code count} synthetic products (default
 * 100,000) exactly where the service opens it, {@code <dataDir>/vectors/products-bge-small-en-v1.5-q}.
 *
 * <p>Only the 6,000 products of {@code DemoCatalog.generate(6000, 42)} are embedded with the real
 * model (cached in the data directory); they are also the first 6,000 of the 100,000. Every other
 * product gets the vector of a base product plus Gaussian noise (sigma 0.02 per dimension, then
 * L2-normalised), so the index has the clustered shape of a real catalog without 30 minutes of
 * inference. Payloads come from the product's own fields.
 *
 * <p>Which base: by default the base products of the product's own category, in turn (so a lamp
 * carries a lamp's vector and every base is used about count/6000 times). With
 * {@code --base-mod} it is base {@code i mod 6000} regardless of category: the same number of
 * copies per base, so the same vector distribution, but titles no longer match vectors (the
 * generator skips duplicate titles, so product {@code i} and base {@code i mod 6000} share a
 * category only about 9% of the time at 100,000).
 *
 * <p>Usage: {@code LoadCatalogBuilder <dataDir> [count=100000] [--rebuild] [--base-mod]}. Refuses
 * to touch an existing index unless {@code --rebuild} is given.
 */
public final class LoadCatalogBuilder {

    static final int BASE_COUNT = 6000;
    static final long SEED = 42;
    static final double SIGMA = 0.02;
    static final int EMBED_BATCH = 64;
    static final int UPSERT_BATCH = 1000;
    static final int SAMPLE_IDS = 2000;
    private static final int CACHE_MAGIC = 0x54564543; // "TVEC"

    private LoadCatalogBuilder() {
    }

    public static void main(String[] args) throws Exception {
        List<String> positional = Stream.of(args).filter(a -> !a.startsWith("--")).toList();
        boolean rebuild = List.of(args).contains("--rebuild");
        boolean baseMod = List.of(args).contains("--base-mod");
        if (positional.isEmpty()) {
            System.err.println("usage: LoadCatalogBuilder <dataDir> [count=100000] [--rebuild] [--base-mod]");
            System.exit(2);
        }
        Path dataDir = Path.of(positional.get(0)).toAbsolutePath();
        int count = positional.size() > 1 ? Integer.parseInt(positional.get(1)) : 100_000;
        if (count < 1 || count > 1_000_000) {
            throw new IllegalArgumentException("count must be in 1..1,000,000, got " + count);
        }
        Path indexDir = BenchFiles.indexDir(dataDir);
        if (Files.isDirectory(indexDir) && hasFiles(indexDir)) {
            if (!rebuild) {
                System.err.println("An index already exists in " + indexDir + "; pass --rebuild to replace it.");
                System.exit(3);
            }
            System.out.println("Deleting the existing index in " + indexDir);
            deleteTree(indexDir);
        }
        Files.createDirectories(dataDir);
        Files.deleteIfExists(dataDir.resolve(BenchFiles.MARKER));

        long started = System.nanoTime();
        List<Product> base = DemoCatalog.generate(BASE_COUNT, SEED);
        long embedStarted = System.nanoTime();
        List<float[]> baseVectors = baseVectors(dataDir, base);
        double embedSeconds = seconds(embedStarted);

        long genStarted = System.nanoTime();
        List<Product> products = DemoCatalog.generate(count, SEED);
        System.out.printf(Locale.ROOT, "Generated %,d products in %.1f s%n", products.size(), seconds(genStarted));

        int[] baseOf = baseOf(base, products, baseMod);
        System.out.println("Base vectors: " + (baseMod ? "base i mod " + BASE_COUNT : "round robin over same-category bases"));

        long indexStarted = System.nanoTime();
        Random noise = new Random(SEED + 1);
        long indexed;
        try (LuceneVectorIndex index = LuceneVectorIndex.open(indexDir)) {
            List<VectorRecord> batch = new ArrayList<>(UPSERT_BATCH);
            for (int i = 0; i < products.size(); i++) {
                Product p = products.get(i);
                float[] vector = noisy(baseVectors.get(baseOf[i]), noise);
                String hash = ProductText.hash(BenchFiles.MODEL_VERSION, ProductText.of(p));
                batch.add(new VectorRecord(p.id(), vector, ProductText.payload(p, hash)));
                if (batch.size() == UPSERT_BATCH || i == products.size() - 1) {
                    index.upsert(batch);
                    batch = new ArrayList<>(UPSERT_BATCH);
                    int done = i + 1;
                    if (done % 10_000 == 0 || done == products.size()) {
                        double s = seconds(indexStarted);
                        System.out.printf(Locale.ROOT, "Indexed %,d / %,d products (%.0f products/s, %.0f s)%n",
                                done, products.size(), done / s, s);
                    }
                }
            }
            index.compact();
            indexed = index.count();
            System.out.println("Closing the index (waits for background merges) ...");
        }
        double indexSeconds = seconds(indexStarted);
        if (indexed != count) {
            throw new IllegalStateException("index holds " + indexed + " products, expected " + count);
        }

        writeSamples(dataDir, products);
        long bytes = BenchFiles.sizeOnDisk(indexDir);
        double total = seconds(started);
        String marker = String.join("\n",
                "# written by LoadCatalogBuilder " + Instant.now(),
                "products=" + count,
                "baseProducts=" + BASE_COUNT,
                "seed=" + SEED,
                "sigma=" + SIGMA,
                "baseChoice=" + (baseMod ? "i-mod-" + BASE_COUNT : "same-category-round-robin"),
                "modelVersion=" + BenchFiles.MODEL_VERSION,
                String.format(Locale.ROOT, "baseEmbedSeconds=%.1f", embedSeconds),
                String.format(Locale.ROOT, "indexSeconds=%.1f", indexSeconds),
                String.format(Locale.ROOT, "totalSeconds=%.1f", total),
                "indexBytes=" + bytes,
                "indexDir=" + indexDir, "");
        Files.writeString(dataDir.resolve(BenchFiles.MARKER), marker, StandardCharsets.UTF_8);
        System.out.printf(Locale.ROOT, "Done: %,d products in %s; base embeddings %.1f s, indexing %.1f s, total %.1f s;"
                + " index %.1f MiB on disk%n", count, indexDir, embedSeconds, indexSeconds, total, bytes / 1048576.0);
    }

    /** For each product, the index of the base product whose vector it takes. */
    static int[] baseOf(List<Product> base, List<Product> products, boolean baseMod) {
        java.util.Map<String, List<Integer>> byCategory = new java.util.HashMap<>();
        for (int b = 0; b < base.size(); b++) {
            byCategory.computeIfAbsent(base.get(b).category(), c -> new ArrayList<>()).add(b);
        }
        java.util.Map<String, Integer> used = new java.util.HashMap<>();
        int[] baseOf = new int[products.size()];
        for (int i = 0; i < products.size(); i++) {
            if (i < base.size() && products.get(i).id().equals(base.get(i).id())) {
                baseOf[i] = i; // the base products themselves
                continue;
            }
            List<Integer> candidates = byCategory.get(products.get(i).category());
            if (baseMod || candidates == null) {
                baseOf[i] = i % base.size();
            } else {
                int n = used.merge(products.get(i).category(), 1, Integer::sum) - 1;
                baseOf[i] = candidates.get(n % candidates.size());
            }
        }
        return baseOf;
    }

    /** The real-model embeddings of the base products, from the cache file when it matches. */
    private static List<float[]> baseVectors(Path dataDir, List<Product> base) throws IOException {
        Path cache = dataDir.resolve("base-embeddings-" + BenchFiles.MODEL_VERSION + "-" + base.size() + "-seed" + SEED + ".bin");
        if (Files.isRegularFile(cache)) {
            List<float[]> cached = readCache(cache, base.size());
            if (cached != null) {
                System.out.printf("Read %,d base embeddings from %s%n", cached.size(), cache);
                return cached;
            }
            System.out.println("Ignoring an unreadable embedding cache " + cache);
        }
        System.out.printf("Embedding %,d base products with %s (batches of %d) ...%n", base.size(),
                BenchFiles.MODEL_VERSION, EMBED_BATCH);
        EmbeddingModel model = new BgeSmallEnV15QuantizedEmbeddingModel();
        long started = System.nanoTime();
        List<float[]> vectors = new ArrayList<>(base.size());
        for (int from = 0; from < base.size(); from += EMBED_BATCH) {
            List<TextSegment> texts = base.subList(from, Math.min(from + EMBED_BATCH, base.size())).stream()
                    .map(p -> TextSegment.from(ProductText.of(p))).toList();
            model.embedAll(texts).content().forEach(e -> vectors.add(e.vector()));
            if ((from / EMBED_BATCH) % 10 == 9 || vectors.size() == base.size()) {
                double s = seconds(started);
                System.out.printf(Locale.ROOT, "  embedded %,d / %,d (%.0f texts/s)%n", vectors.size(), base.size(),
                        vectors.size() / s);
            }
        }
        writeCache(cache, vectors);
        return vectors;
    }

    private static List<float[]> readCache(Path cache, int expected) throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(cache)))) {
            if (in.readInt() != CACHE_MAGIC) {
                return null;
            }
            int n = in.readInt();
            int dim = in.readInt();
            if (n != expected || dim < 1 || dim > 8192) {
                return null;
            }
            List<float[]> vectors = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                float[] v = new float[dim];
                for (int d = 0; d < dim; d++) {
                    v[d] = in.readFloat();
                }
                vectors.add(v);
            }
            return vectors;
        }
    }

    private static void writeCache(Path cache, List<float[]> vectors) throws IOException {
        Path tmp = cache.resolveSibling(cache.getFileName() + ".tmp");
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp)))) {
            out.writeInt(CACHE_MAGIC);
            out.writeInt(vectors.size());
            out.writeInt(vectors.get(0).length);
            for (float[] v : vectors) {
                for (float f : v) {
                    out.writeFloat(f);
                }
            }
        }
        Files.move(tmp, cache, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        System.out.println("Cached the base embeddings in " + cache);
    }

    /** The base vector plus N(0, SIGMA) per dimension, L2-normalised. */
    static float[] noisy(float[] base, Random random) {
        float[] v = new float[base.length];
        double norm = 0;
        for (int d = 0; d < base.length; d++) {
            v[d] = (float) (base[d] + random.nextGaussian() * SIGMA);
            norm += (double) v[d] * v[d];
        }
        float scale = (float) (1.0 / Math.sqrt(norm));
        for (int d = 0; d < v.length; d++) {
            v[d] *= scale;
        }
        return v;
    }

    private static void writeSamples(Path dataDir, List<Product> products) throws IOException {
        List<Integer> order = new ArrayList<>(IntStream.range(0, products.size()).boxed().toList());
        Collections.shuffle(order, new Random(SEED + 2));
        List<String> ids = order.subList(0, Math.min(SAMPLE_IDS, order.size())).stream()
                .map(i -> products.get(i).id()).toList();
        Files.write(dataDir.resolve(BenchFiles.IDS), ids, StandardCharsets.UTF_8);
        Files.write(dataDir.resolve(BenchFiles.QUERIES), BenchQueries.QUERIES, StandardCharsets.UTF_8);
        System.out.printf("Wrote %,d ids to %s and %d queries to %s%n", ids.size(), dataDir.resolve(BenchFiles.IDS),
                BenchQueries.QUERIES.size(), dataDir.resolve(BenchFiles.QUERIES));
    }

    private static boolean hasFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.findAny().isPresent();
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(f);
            }
        }
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}

package io.tastemaker.evaluation;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.bgesmallenv15q.BgeSmallEnV15QuantizedEmbeddingModel;
import io.tastemaker.catalog.Product;
import io.tastemaker.demo.DemoCatalog;
import io.tastemaker.demo.DemoEngagement;
import io.tastemaker.embedding.ProductText;
import io.tastemaker.engagement.EngagementEvent;
import io.tastemaker.models.gate.TimeSplit;
import io.tastemaker.models.gate.Verdict;
import io.tastemaker.models.training.AdapterTrainer;
import io.tastemaker.models.training.BeforeCutoff;
import io.tastemaker.models.training.ResidualAdapter;
import io.tastemaker.models.training.TrainingPair;
import io.tastemaker.profiles.TasteProfile;
import io.tastemaker.recommend.Fusion;
import io.tastemaker.recommend.Weights;
import io.tastemaker.recommend.sources.Source;
import io.tastemaker.vectors.LuceneVectorIndex;
import io.tastemaker.vectors.ProductPayload;
import io.tastemaker.vectors.VectorIndex;
import io.tastemaker.vectors.VectorRecord;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * Figures of the evaluation gate (docs/models-and-quality.md, "The evaluation gate"): its run time on
 * the service's demo shop and on 100,000 synthetic shoppers, and the leakage check on the demo shop
 * (the old gate's verdict and the new one's on the same fine-tuned versions). Asserts nothing.
 * <pre>
 * ./mvnw -B -o test -Dgroups=benchmark -Dbench.excluded=none -Dtest=GateBenchmark
 * </pre>
 */
@Tag("benchmark")
class GateBenchmark {

    private static final Map<String, Double> WEIGHTS = Map.of("pin", 3.0, "click", 1.0, "view", 0.25, "add_to_cart", 4.0,
            "purchase", 5.0, "hide", -4.0); // tastemaker.engagement.weights' defaults

    @TempDir
    Path dir;

    @Test
    void on_the_demo_shop() throws Exception {
        List<Product> catalog = DemoCatalog.generate(6000, 42);
        Instant now = Instant.parse("2026-12-06T00:00:00Z");
        List<EngagementEvent> events = DemoEngagement.generate(catalog, now, 42);
        long started = System.nanoTime();
        var model = new BgeSmallEnV15QuantizedEmbeddingModel();
        Map<String, float[]> base = new LinkedHashMap<>();
        for (int from = 0; from < catalog.size(); from += 64) {
            List<Product> batch = catalog.subList(from, Math.min(catalog.size(), from + 64));
            var embedded = model.embedAll(batch.stream().map(p -> TextSegment.from(ProductText.of(p))).toList()).content();
            for (int i = 0; i < batch.size(); i++) {
                base.put(batch.get(i).id(), embedded.get(i).vector());
            }
        }
        System.out.printf("embedded %d demo products in %.0f s%n", base.size(), (System.nanoTime() - started) / 1e9);
        Map<String, TasteProfile> byUser = new LinkedHashMap<>();
        for (EngagementEvent e : events) { // in time order, as the consumer applies them
            String type = e.type().wireName();
            byUser.computeIfAbsent(e.userId(), TasteProfile::new).apply(new TasteProfile.Engagement(e.productId(), type,
                    WEIGHTS.getOrDefault(type, 0.0), e.occurredAt(), e.sessionId(), e.boardId(), base.get(e.productId()),
                    null, null), Duration.ofDays(14), "base");
        }
        List<TasteProfile> shoppers = new ArrayList<>(byUser.values());
        System.out.printf("demo: %d shoppers, %d events%n", shoppers.size(), events.size());

        TimeSplit split = new TimeSplit(0.2, Optional.empty());
        List<Instant> times = new ArrayList<>();
        shoppers.forEach(s -> s.recent().forEach(r -> times.add(r.occurredAt())));
        Instant cutOff = split.cutOff(times);
        Instant end = times.stream().max(Instant::compareTo).orElseThrow();

        LuceneVectorIndex baseIndex = index(dir.resolve("base"), catalog, base);
        // the old fine-tuning: pairs from every profile's items, the newest too; the new one: before the cut-off
        ResidualAdapter old = train(shoppers, base, end.plusSeconds(1));
        ResidualAdapter cut = train(shoppers, base, cutOff);
        LuceneVectorIndex oldIndex = index(dir.resolve("old"), catalog, adapted(base, old));
        LuceneVectorIndex cutIndex = index(dir.resolve("cut"), catalog, adapted(base, cut));

        started = System.nanoTime();
        Verdict self = GateEvaluationTest.evaluation().judge(new GateEvaluation.Version("base", baseIndex), null,
                new GateEvaluation.Version("base", baseIndex), null, shoppers, shoppers, split, GateEvaluationTest.quiet());
        System.out.printf("demo gate, base against itself: %.2f s; %s%n", (System.nanoTime() - started) / 1e9, self.summary());

        System.out.printf("old gate NDCG@10 (HR@10): base %s, fine-tuned on everything %s, fine-tuned before the cut-off %s%n",
                oldGate(baseIndex, shoppers), oldGate(oldIndex, shoppers), oldGate(cutIndex, shoppers));
        for (int minShoppers : new int[]{20, 5})
        for (Object[] version : new Object[][]{{"ft-everything", oldIndex, end.plusSeconds(1)}, {"ft-before-cut-off", cutIndex, cutOff},
                {"base", baseIndex, null}}) {
            started = System.nanoTime();
            System.out.printf("min-shoppers %d: ", minShoppers);
            Verdict v = GateEvaluationTest.evaluation(minShoppers).judge(new GateEvaluation.Version((String) version[0],
                            (VectorIndex) version[1]), (Instant) version[2], new GateEvaluation.Version("base", baseIndex), null,
                    shoppers, shoppers, split, GateEvaluationTest.quiet());
            System.out.printf("new gate, %s: %.2f s; worse=%s; %s%n", version[0], (System.nanoTime() - started) / 1e9,
                    v.worse(), v.summary());
        }
        for (LuceneVectorIndex i : List.of(baseIndex, oldIndex, cutIndex)) {
            i.close();
        }
    }

    @Test
    void on_100_000_shoppers() {
        int products = Integer.getInteger("gate.bench.products", 20_000);
        int shoppersCount = Integer.getInteger("gate.bench.shoppers", 100_000);
        int dimension = 384;
        Random r = new Random(9);
        Map<String, float[]> vectors = new LinkedHashMap<>();
        List<Product> catalog = new ArrayList<>();
        for (int p = 0; p < products; p++) {
            float[] v = new float[dimension];
            double angle = 2 * Math.PI * p / products;
            v[0] = (float) Math.cos(angle);
            v[1] = (float) Math.sin(angle);
            for (int d = 2; d < dimension; d++) {
                v[d] = (float) (0.03 * r.nextGaussian());
            }
            String id = String.format("p%05d", p);
            vectors.put(id, v);
            catalog.add(new Product(id, "product " + p, "", null, List.of("Synthetic"), List.of(), BigDecimal.ONE, "USD",
                    null, true, null));
        }
        long started = System.nanoTime();
        LuceneVectorIndex index = index(dir.resolve("synthetic"), catalog, vectors);
        System.out.printf("indexed %d products (%d dimensions) in %.0f s%n", products, dimension,
                (System.nanoTime() - started) / 1e9);
        Instant start = Instant.parse("2026-11-01T00:00:00Z");
        List<TasteProfile> shoppers = new ArrayList<>(shoppersCount);
        for (int s = 0; s < shoppersCount; s++) {
            TasteProfile shopper = new TasteProfile("s" + s);
            int at = r.nextInt(products);
            for (int day = 0; day < 10; day++) {
                String id = String.format("p%05d", at);
                shopper.apply(new TasteProfile.Engagement(id, "click", 1.0, start.plus(Duration.ofDays(day))
                        .plus(Duration.ofMinutes(r.nextInt(600))), null, null, vectors.get(id), null, null),
                        Duration.ofDays(14), "base");
                at = r.nextDouble() < 0.75 ? (at + 1 + r.nextInt(2)) % products : r.nextInt(products);
            }
            shoppers.add(shopper);
        }
        long[] last = {0};
        started = System.nanoTime();
        long t0 = started;
        Verdict v = GateEvaluationTest.evaluation().judge(new GateEvaluation.Version("candidate", index), null,
                new GateEvaluation.Version("active", index), null, shoppers, shoppers, new TimeSplit(0.2, Optional.empty()),
                new io.tastemaker.models.gate.Gate.Progress() {
                    @Override
                    public void at(long done, long total) {
                        if (System.nanoTime() - last[0] > 30_000_000_000L) {
                            last[0] = System.nanoTime();
                            System.out.printf("  %d of %d after %.0f s%n", done, total, (last[0] - t0) / 1e9);
                        }
                    }

                    @Override
                    public boolean cancelled() {
                        return false;
                    }
                });
        System.out.printf("gate on %d shoppers: %.0f s; %s%n", shoppersCount, (System.nanoTime() - started) / 1e9,
                v.summary());
        index.close();
    }

    private static ResidualAdapter train(List<TasteProfile> shoppers, Map<String, float[]> base, Instant cutOff) {
        Map<String, Integer> rows = new LinkedHashMap<>();
        BeforeCutoff before = BeforeCutoff.of(shoppers, cutOff, rows);
        List<TrainingPair> pairs = before.pairs(2, 0.8);
        float[][] table = new float[rows.size()][];
        rows.forEach((id, row) -> table[row] = base.get(id));
        System.out.printf("fine-tune before %s: %d pairs%n", cutOff, pairs.size());
        return new AdapterTrainer(new AdapterTrainer.Settings(0.1, 0.001, 6, Math.min(512, pairs.size()), 0, 42, false, 1))
                .train("base", table, pairs, AdapterTrainer.Progress.NONE);
    }

    private static Map<String, float[]> adapted(Map<String, float[]> base, ResidualAdapter adapter) {
        Map<String, float[]> out = new HashMap<>();
        base.forEach((id, v) -> out.put(id, adapter.apply(v)));
        return out;
    }

    private static LuceneVectorIndex index(Path dir, List<Product> catalog, Map<String, float[]> vectors) {
        LuceneVectorIndex index = LuceneVectorIndex.open(dir);
        List<VectorRecord> records = new ArrayList<>();
        for (Product p : catalog) {
            records.add(new VectorRecord(p.id(), vectors.get(p.id()), ProductText.payload(p, "")));
            if (records.size() == 1000) {
                index.upsert(records);
                records.clear();
            }
        }
        index.upsert(records);
        index.compact();
        return index;
    }

    private static String oldGate(VectorIndex index, List<TasteProfile> shoppers) {
        OldGate old = OldGate.score(index, shoppers);
        return String.format("%.4f (%.4f) over %d shoppers", old.ndcg(), old.hitRate(), old.shoppers());
    }
}

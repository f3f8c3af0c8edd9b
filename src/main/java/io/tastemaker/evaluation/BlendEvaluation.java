package io.tastemaker.evaluation;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.bgesmallenv15q.BgeSmallEnV15QuantizedEmbeddingModel;
import io.tastemaker.catalog.Product;
import io.tastemaker.embedding.ActiveModel;
import io.tastemaker.embedding.ProductText;
import io.tastemaker.engagement.CoEngagement;
import io.tastemaker.engagement.EngagementConfig;
import io.tastemaker.profiles.TasteProfile;
import io.tastemaker.recommend.BlendDefaults;
import io.tastemaker.recommend.FeedRecipe;
import io.tastemaker.recommend.Fusion;
import io.tastemaker.recommend.Weights;
import io.tastemaker.recommend.sources.Retrieved;
import io.tastemaker.recommend.sources.Source;
import io.tastemaker.recommend.sources.Sources;
import io.tastemaker.vectors.LuceneVectorIndex;
import io.tastemaker.vectors.VectorRecord;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/**
 * The offline evaluation command: replays a leave-one-out split (Amazon Beauty) through the
 * service's own retrieval ({@link FeedRecipe}, the embedded HNSW index, the
 * in-process model) and {@link Fusion}, ranks all items, masks the history, and prints HR and
 * NDCG at 5/10/20 beside popularity and content-only baselines computed the same way. Fusion
 * weights are chosen on the validation target (second-to-last item) and only then applied to
 * the test target. Run: {@code java -jar target/quarkus-app/quarkus-run.jar evaluate <dir>}
 * ({@link EvaluateCommand}).
 */
public final class BlendEvaluation {

    /** Each source proposes as many candidates as the service ranks for a first page. */
    static final int DEPTH = FeedReplay.DEPTH;
    /** The service's feed recipe with the service's default anchors; the weights are given per fusion. */
    private static final FeedReplay FEED = new FeedReplay(Integer.parseInt(BlendDefaults.ANCHORS),
            Double.parseDouble(BlendDefaults.ANCHOR_DECAY));
    private static final Duration PROFILE_HALF_LIFE = Duration.parse(EngagementConfig.DEFAULT_PROFILE_HALF_LIFE);

    private final PrintStream out;
    private final Interactions data;
    private final String modelVersion;

    private BlendEvaluation(PrintStream out, Interactions data, String modelVersion) {
        this.out = out;
        this.data = data;
        this.modelVersion = modelVersion;
    }

    /** The item vectors of one model and the embedded HNSW index holding them. */
    private record Space(LuceneVectorIndex index, Map<String, float[]> vectors) {
    }

    static void run(Path dir, Datasets.Options readOptions, Path report, PrintStream out) throws IOException {
        long started = System.nanoTime();
        Interactions data = Datasets.read(dir, readOptions, out).interactions();
        Report result = evaluate(data, out);
        out.println();
        out.println(result.table());
        if (report != null) {
            Files.writeString(report, result.table());
        }
        out.printf("Done in %.0f s%n", (System.nanoTime() - started) / 1e9);
    }

    /**
     * Test-target metrics of the three rows this command computes, the Markdown table, and what
     * validation chose (weights and fusion, with their validation NDCG@10; the weights also by
     * source key, for machine-readable reports; the blend's floor under co-engagement's
     * normaliser, 0 for none), and each source alone on the test target.
     */
    public record Report(RankingMetrics popularity, RankingMetrics contentOnly, RankingMetrics blend, String table,
                         String contentChoice, double contentValidationNdcg10, String blendChoice,
                         double blendValidationNdcg10, Map<String, Double> contentWeights, String contentFusion,
                         Map<String, Double> blendWeights, String blendFusion, double blendCoEngagementFloor,
                         Map<String, RankingMetrics> alone) {
    }

    /** Embeds and indexes the items, chooses weights on validation, scores test targets. */
    static Report evaluate(Interactions data, PrintStream out) throws IOException {
        Map<String, float[]> vectors = baseVectors(data, out);
        return evaluate(data, vectors, vectors, ActiveModel.DEFAULT_VERSION, out);
    }

    /** The catalog's vectors under the service's default model (bge-small-en-v1.5), cached. */
    static Map<String, float[]> baseVectors(Interactions data, PrintStream out) throws IOException {
        EmbeddingModel model = new BgeSmallEnV15QuantizedEmbeddingModel();
        return embedCatalog(data, model, ActiveModel.DEFAULT_VERSION, out);
    }

    /**
     * Chooses weights on validation with {@code validationVectors} indexed, then scores the test
     * targets with {@code testVectors} indexed: a model trained on engagement is trained once per
     * target, on what that target's protocol lets it learn from (the same map twice when not).
     */
    static Report evaluate(Interactions data, Map<String, float[]> validationVectors, Map<String, float[]> testVectors,
                           String modelVersion, PrintStream out) throws IOException {
        Path work = Files.createTempDirectory("tastemaker-evaluation");
        try (LuceneVectorIndex validationIndex = index(work.resolve("validation"), data, validationVectors, out);
             LuceneVectorIndex testIndex = testVectors == validationVectors ? null
                     : index(work.resolve("test"), data, testVectors, out)) {
            return new BlendEvaluation(out, data, modelVersion).evaluate(new Space(validationIndex, validationVectors),
                    new Space(testIndex == null ? validationIndex : testIndex, testVectors));
        } finally {
            deleteRecursively(work);
        }
    }

    static LuceneVectorIndex index(Path dir, Interactions data, Map<String, float[]> vectors, PrintStream out)
            throws IOException {
        LuceneVectorIndex index = LuceneVectorIndex.open(dir);
        List<VectorRecord> records = new ArrayList<>();
        for (int item = 1; item <= data.itemCount(); item++) {
            Product p = data.product(item);
            records.add(new VectorRecord(p.id(), vectors.get(p.id()), ProductText.payload(p, "")));
            if (records.size() == 1000 || item == data.itemCount()) {
                index.upsert(records);
                records.clear();
            }
        }
        out.printf("Indexed %d products in the embedded HNSW index%n", index.count());
        return index;
    }

    private Report evaluate(Space validationSpace, Space testSpace) {
        // 1. choose weights on the validation target
        List<LeaveOneOut.Case> validation = LeaveOneOut.cases(data, LeaveOneOut.Target.VALIDATION);
        Map<Integer, List<Retrieved>> validationCandidates = retrieve(validation, LeaveOneOut.Target.VALIDATION,
                validationSpace);
        Choice content = choose(validation, validationCandidates, List.of(Source.PROFILE, Source.SIMILAR),
                new Weights(Map.of(Source.PROFILE, 0.5, Source.SIMILAR, 1.0)), Fusion.Method.SCORE);
        Choice blend = null;
        for (Fusion.Method method : Fusion.Method.values()) {
            Choice c = choose(validation, validationCandidates, BLEND_TUNED,
                    new Weights(Map.of(Source.PROFILE, 0.2, Source.SIMILAR, 0.5, Source.CO_ENGAGEMENT, 1.0,
                            Source.LIKE_MINDED, 0.5, Source.TRENDING, 0.1)), method);
            if (blend == null || c.ndcg10 > blend.ndcg10) {
                blend = c;
            }
        }
        validationCandidates = null; // free before the test pass
        out.printf("Chosen on validation: content-only %s (NDCG@10 %.4f); blend %s (NDCG@10 %.4f)%n",
                content.weights, content.ndcg10, blend.describe(), blend.ndcg10);

        // 2. apply them once to the test target
        List<LeaveOneOut.Case> test = LeaveOneOut.cases(data, LeaveOneOut.Target.TEST);
        Map<Integer, List<Retrieved>> testCandidates = retrieve(test, LeaveOneOut.Target.TEST, testSpace);
        RankingMetrics popularity = Evaluator.evaluate(test, data.itemCount(),
                new PopularityScorer(LeaveOneOut.training(data, LeaveOneOut.Target.TEST), data.itemCount()));
        RankingMetrics contentOnly = score(test, testCandidates, content.weights, content.method);
        RankingMetrics blended = score(test, testCandidates, blend.weights, blend.method);
        // each source alone: the same candidates fused with only that source's weight
        Map<String, RankingMetrics> alone = new java.util.LinkedHashMap<>();
        for (Source source : FeedReplay.ALL.bySource().keySet().stream().sorted().toList()) {
            alone.put(source.key(), score(test, testCandidates, new Weights(Map.of(source, 1.0)), Fusion.Method.SCORE));
        }
        return new Report(popularity, contentOnly, blended, table(popularity, contentOnly, blended, content, blend, alone),
                content.weights.toString(), content.ndcg10,
                blend.describe(), blend.ndcg10,
                byKey(content.weights), content.method.name().toLowerCase(), byKey(blend.weights),
                blend.method.name().toLowerCase(), blend.weights.floor(Source.CO_ENGAGEMENT), alone);
    }

    private static Map<String, Double> byKey(Weights weights) {
        Map<String, Double> byKey = new java.util.TreeMap<>();
        weights.bySource().forEach((source, weight) -> byKey.put(source.key(), weight));
        return byKey;
    }

    /** The blend's weights the search tunes; co-engagement keeps its weight as the scale. */
    private static final List<Source> BLEND_TUNED = List.of(Source.PROFILE, Source.SIMILAR, Source.LIKE_MINDED,
            Source.TRENDING);

    /**
     * Weights chosen by coordinate ascent on NDCG@10 ({@link WeightSearch}) from {@code start} under this
     * fusion, with the floor under co-engagement's normaliser under score fusion; co-engagement (when
     * used) fixed at 1 as the scale.
     */
    private Choice choose(List<LeaveOneOut.Case> cases, Map<Integer, List<Retrieved>> candidates, List<Source> tuned,
                         Weights start, Fusion.Method method) {
        ToDoubleFunction<Weights> ndcg = w -> score(cases, candidates, w, method).ndcg(10);
        Consumer<String> log = line -> out.printf("  %s %s%n", method, line);
        WeightSearch.Result best = method == Fusion.Method.SCORE && start.uses(Source.CO_ENGAGEMENT)
                ? WeightSearch.chooseWithFloor(start, tuned, ndcg, log)
                : WeightSearch.choose(start, tuned, ndcg, log);
        return new Choice(best.weights(), method, best.value());
    }

    private record Choice(Weights weights, Fusion.Method method, double ndcg10) {

        String describe() {
            return method.name().toLowerCase() + " fusion; " + weights;
        }
    }

    /** Every case's candidates from every source, retrieved once (all sources on). */
    private Map<Integer, List<Retrieved>> retrieve(List<LeaveOneOut.Case> cases, LeaveOneOut.Target target,
                                                   Space space) {
        long started = System.nanoTime();
        OfflineEngagement engagement = OfflineEngagement.replay(LeaveOneOut.training(data, target), BlendEvaluation::id,
                new CoEngagement(Integer.parseInt(EngagementConfig.DEFAULT_CO_ENGAGEMENT_WINDOW),
                        Double.parseDouble(EngagementConfig.DEFAULT_CO_ENGAGEMENT_STEP_DECAY)));
        Sources sources = new Sources(space.index(), engagement, engagement, engagement);
        AtomicInteger done = new AtomicInteger();
        Map<Integer, List<Retrieved>> candidates = cases.parallelStream().collect(Collectors.toConcurrentMap(
                LeaveOneOut.Case::user, c -> {
                    List<Retrieved> retrieved = feedCandidates(sources, c, space.vectors());
                    int n = done.incrementAndGet();
                    if (n % 5000 == 0) {
                        out.printf("  %s: retrieved for %d of %d shoppers%n", target, n, cases.size());
                    }
                    return retrieved;
                }));
        out.printf("%s: candidates for %d shoppers in %.0f s%n", target, cases.size(), (System.nanoTime() - started) / 1e9);
        return candidates;
    }

    /** What the feed would retrieve for this shopper: the same calls as {@code RecommendationService}. */
    private List<Retrieved> feedCandidates(Sources sources, LeaveOneOut.Case c, Map<String, float[]> vectors) {
        TasteProfile profile = OfflineEngagement.profile(c.user(), c.history(), BlendEvaluation::id, vectors, PROFILE_HALF_LIFE,
                modelVersion);
        return FEED.candidates(sources, profile);
    }

    private RankingMetrics score(List<LeaveOneOut.Case> cases, Map<Integer, List<Retrieved>> candidates, Weights weights,
                                 Fusion.Method method) {
        return Evaluator.evaluate(cases, data.itemCount(), (c, scores) -> {
            for (Fusion.Fused f : Fusion.fuse(candidates.get(c.user()), weights, method)) {
                scores[item(f.productId())] = (float) f.score();
            }
        });
    }

    private String table(RankingMetrics popularity, RankingMetrics content, RankingMetrics blend, Choice contentChoice,
                         Choice blendChoice, Map<String, RankingMetrics> alone) {
        StringBuilder t = new StringBuilder();
        t.append("| model | HR@5 | NDCG@5 | HR@10 | NDCG@10 | HR@20 | NDCG@20 |\n");
        t.append("|---|---|---|---|---|---|---|\n");
        for (String[] row : "Beauty".equals(data.category()) ? PUBLISHED : new String[0][]) {
            t.append("| ").append(String.join(" | ", row)).append(" |\n");
        }
        row(t, "**Tastemaker popularity** (this command)", popularity);
        alone.forEach((source, metrics) -> row(t, "Tastemaker " + source + " alone (the feed's candidates, only its weight)",
                metrics));
        row(t, "**Tastemaker content-only** (bge titles: profile + recent items; " + contentChoice.weights + ")", content);
        row(t, "**Tastemaker blend** (" + blendChoice.describe() + ")", blend);
        return t.toString();
    }

    private static void row(StringBuilder t, String name, RankingMetrics m) {
        t.append(String.format("| %s | %.4f | %.4f | %.4f | %.4f | %.4f | %.4f |%n", name, m.hitRate(5), m.ndcg(5),
                m.hitRate(10), m.ndcg(10), m.hitRate(20), m.ndcg(20)));
    }

    /**
     * The published full-ranking rows (S3-Rec authors' table, as the dataset's README quotes it):
     * shown for the Beauty split only (the S3-Rec layout names its category after its file).
     */
    private static final String[][] PUBLISHED = {
            {"PopRec (published)", "0.0080", "0.0044", "0.0152", "0.0068", "0.0217", "0.0084"},
            {"SASRec (published)", "0.0387", "0.0249", "0.0605", "0.0318", "0.0902", "0.0394"},
            {"S3-Rec (published)", "0.0387", "0.0244", "0.0647", "0.0327", "0.0994", "0.0414"},
            {"TIGER (published, Recall)", "0.0454", "0.0321", "0.0648", "0.0384", "-", "-"},
    };

    static String id(int item) {
        return "b" + item;
    }

    static int item(String id) {
        return Integer.parseInt(id, 1, id.length(), 10);
    }

    /**
     * Embeds every product's text as the catalog pipeline does (same model, same text); cached in
     * the temp directory by model and text, since it is the slow step on two cores.
     */
    private static Map<String, float[]> embedCatalog(Interactions data, EmbeddingModel model, String version,
                                                     PrintStream out) throws IOException {
        List<String> texts = new ArrayList<>();
        for (int item = 1; item <= data.itemCount(); item++) {
            texts.add(data.productText(item));
        }
        Path cache = Path.of(System.getProperty("java.io.tmpdir"), "tastemaker-evaluation-"
                + ProductText.hash(version, String.join("\n", texts)) + ".vectors");
        Map<String, float[]> vectors = new HashMap<>();
        if (Files.exists(cache)) {
            try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(cache)))) {
                int dim = in.readInt();
                for (int item = 1; item <= data.itemCount(); item++) {
                    float[] v = new float[dim];
                    for (int d = 0; d < dim; d++) {
                        v[d] = in.readFloat();
                    }
                    vectors.put(id(item), v);
                }
            }
            out.printf("Read %d product vectors from %s%n", vectors.size(), cache);
            return vectors;
        }
        long started = System.nanoTime();
        for (int from = 0; from < texts.size(); from += 64) {
            List<TextSegment> batch = texts.subList(from, Math.min(texts.size(), from + 64)).stream()
                    .map(TextSegment::from).toList();
            var embedded = model.embedAll(batch).content();
            for (int i = 0; i < embedded.size(); i++) {
                vectors.put(id(from + i + 1), embedded.get(i).vector());
            }
            if ((from / 64) % 40 == 0) {
                out.printf("  embedded %d of %d titles%n", vectors.size(), texts.size());
            }
        }
        out.printf("Embedded %d titles in %.0f s%n", vectors.size(), (System.nanoTime() - started) / 1e9);
        try (DataOutputStream o = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(cache)))) {
            o.writeInt(vectors.get(id(1)).length);
            for (int item = 1; item <= data.itemCount(); item++) {
                for (float f : vectors.get(id(item))) {
                    o.writeFloat(f);
                }
            }
        }
        return vectors;
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}

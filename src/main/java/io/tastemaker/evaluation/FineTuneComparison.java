package io.tastemaker.evaluation;

import io.tastemaker.embedding.ActiveModel;
import io.tastemaker.engagement.CoEngagement;
import io.tastemaker.engagement.EngagementConfig;
import io.tastemaker.evaluation.FineTuneOptions.Examples;
import io.tastemaker.models.training.AdapterTrainer;
import io.tastemaker.models.training.CoEngagementPairs;
import io.tastemaker.models.training.ResidualAdapter;
import io.tastemaker.models.training.NextItemExamples;
import io.tastemaker.models.training.TrainingExample;
import io.tastemaker.recommend.BlendDefaults;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;

/**
 * {@code evaluate <dir> --fine-tune} ({@link FineTuneOptions}): the base model against a
 * {@link ResidualAdapter} trained on the shoppers' co-engagement, through the same evaluation
 * ({@link BlendEvaluation}).
 * <ol>
 * <li>Hyper-parameters (τ, learning rate, epochs, weight decay, pair window) are searched on the
 *     <b>validation</b> targets only, adapters trained on sequences without their last two items.
 *     The search scores a cheap stand-in of the content-only path: the exact cosine neighbours of
 *     the shopper's three most recent items (the "similar" source, brute force, no index) for a
 *     seeded sample of shoppers. Each epoch count is read off one training run.</li>
 * <li>The chosen adapter (trained without the last two items) is indexed for the validation pass,
 *     where the blend weights are re-chosen for it exactly as for the base; for the test pass the
 *     adapter is retrained with the same hyper-parameters on sequences without only the last item,
 *     as {@link BlendEvaluation} replays co-engagement for the test pass (the validation item is
 *     then known history, as in the published protocol). No pair ever holds a test item.</li>
 * </ol>
 * <p>Over 450 lines: the search, the two passes and the adapter cache share one protocol (which
 * sequences train which adapter); split apart, each piece would have to restate it. The next
 * thing it gains should move the adapter cache into a class of its own.
 */
final class FineTuneComparison {

    /** One point of the search and its validation score (window for pairs, anchors for next items, else 0). */
    record Trial(double temperature, double learningRate, boolean cosine, double logQ, int epochs, double weightDecay,
                 Examples examplesKind, int window, int anchors, RankingMetrics validation, float[][] vectors) {

        String describe() {
            return String.format(Locale.ROOT, "τ %s%s, learning rate %s%s, %d epochs, weight decay %s, %s", temperature,
                    logQ > 0 ? " with logQ correction " + logQ : "", learningRate, cosine ? " (cosine schedule)" : "", epochs,
                    weightDecay, examples());
        }

        /** Which examples it learnt from. */
        String examples() {
            return switch (examplesKind) {
                case PAIRS -> "pair window " + window;
                case LINKS -> "the service's co-engagement links";
                case NEXT -> "next item from " + anchors + " recent anchor(s)";
            };
        }

        Trial withoutVectors() {
            return new Trial(temperature, learningRate, cosine, logQ, epochs, weightDecay, examplesKind, window, anchors,
                    validation, null);
        }
    }

    /**
     * What the command found: both evaluations (null when only searching), the chosen point, every
     * trial of the search with the base's search score on the same shoppers, the report.
     */
    record Result(BlendEvaluation.Report base, BlendEvaluation.Report fineTuned, Trial chosen, List<Trial> trials,
                  RankingMetrics baseSearch, int searchShoppers, String table) {
    }

    private final Interactions data;
    private final FineTuneOptions options;
    private final PrintStream out;
    private final float[][] base;

    private FineTuneComparison(Interactions data, FineTuneOptions options, PrintStream out, float[][] base) {
        this.data = data;
        this.options = options;
        this.out = out;
        this.base = base;
    }

    static void run(Path dir, Datasets.Options readOptions, Path report, FineTuneOptions options, PrintStream out)
            throws IOException {
        long started = System.nanoTime();
        Interactions data = Datasets.read(dir, readOptions, out).interactions();
        Result result = compare(data, options, out);
        out.println();
        out.println(result.table());
        if (report != null) {
            Files.writeString(report, result.table());
        }
        double elapsed = (System.nanoTime() - started) / 1e9;
        if (options.json() != null) {
            FineTuneJson.write(options.json(), dir.toAbsolutePath().normalize().getFileName().toString(), data, options,
                    result, elapsed);
            out.printf("Wrote %s%n", options.json());
        }
        out.printf("Done in %.0f s%n", elapsed);
    }

    static Result compare(Interactions data, FineTuneOptions options, PrintStream out) throws IOException {
        Map<String, float[]> baseVectors = BlendEvaluation.baseVectors(data, out);
        return new FineTuneComparison(data, options, out, table(data, baseVectors)).compare(baseVectors);
    }

    private Result compare(Map<String, float[]> baseVectors) throws IOException {
        StringBuilder report = new StringBuilder();
        List<LeaveOneOut.Case> sample = sample(LeaveOneOut.cases(data, LeaveOneOut.Target.VALIDATION));
        RankingMetrics baseSearch = similarItems(sample, base);
        out.printf("Validation search on %d shoppers (exact neighbours of the 3 most recent items): base HR@10 %.4f"
                + " NDCG@10 %.4f%n", sample.size(), baseSearch.hitRate(10), baseSearch.ndcg(10));
        Path cache = options.adapterCache();
        boolean cached = cache != null && Files.exists(cache.resolve(VALIDATION_ADAPTER))
                && Files.exists(cache.resolve(TEST_ADAPTER));
        if (cache != null && !cached && !singleRun()) {
            throw new IllegalArgumentException("--adapter-cache trains one grid point: give one value per list"
                    + " (except --epochs) and the constant schedule");
        }
        List<Trial> trials;
        Trial chosen;
        float[][] forTest = null;
        if (cached) {
            // trained before with these flags' grid point: both passes' adapters reused as they are
            ResidualAdapter forValidation = ResidualAdapter.load(cache.resolve(VALIDATION_ADAPTER));
            out.printf("Reusing the adapters in %s (validation pass: %s)%n", cache, forValidation.hyperParameters());
            float[][] adapted = adapt(forValidation);
            Trial point = onlyPoint();
            chosen = new Trial(point.temperature, point.learningRate, false, point.logQ,
                    Integer.parseInt(forValidation.hyperParameters().getOrDefault("epochs",
                            Integer.toString(point.epochs))), point.weightDecay, point.examplesKind, point.window,
                    point.anchors, similarItems(sample, adapted), adapted);
            trials = List.of(chosen);
            forTest = adapt(ResidualAdapter.load(cache.resolve(TEST_ADAPTER)));
        } else {
            trials = search(sample);
            chosen = Collections.max(trials, (a, b) -> Double.compare(a.validation.ndcg(10), b.validation.ndcg(10)));
            if (cache != null) {
                Files.copy(cache.resolve("validation-epoch" + chosen.epochs + ".adapter"),
                        cache.resolve(VALIDATION_ADAPTER), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
        out.printf("Chosen on validation: %s (search NDCG@10 %.4f)%n", chosen.describe(), chosen.validation.ndcg(10));
        report.append(searchTable(sample.size(), baseSearch, trials, chosen));
        if (options.searchOnly()) {
            return new Result(null, null, chosen, trials, baseSearch, sample.size(), report.toString());
        }

        if (!cached) {
            forTest = adapt(train(chosen, LeaveOneOut.Target.TEST, null));
        }
        if (options.trainOnly()) {
            return new Result(null, null, chosen, trials, baseSearch, sample.size(), report.toString());
        }
        String version = ActiveModel.DEFAULT_VERSION + "+adapter";
        BlendEvaluation.Report before = null;
        if (!options.skipBase()) {
            out.println("Base model:");
            before = BlendEvaluation.evaluate(data, baseVectors, baseVectors, ActiveModel.DEFAULT_VERSION, out);
        }
        out.println("Fine-tuned adapter:");
        BlendEvaluation.Report after = BlendEvaluation.evaluate(data, vectorMap(chosen.vectors), vectorMap(forTest),
                version, out);
        report.insert(0, comparisonTable(before, after, chosen) + "\n");
        return new Result(before, after, chosen, trials, baseSearch, sample.size(), report.toString());
    }

    /**
     * Every grid point, trained on the validation protocol's examples; epoch counts read off one
     * run (with a cosine schedule, which depends on the count, one run per count).
     */
    private List<Trial> search(List<LeaveOneOut.Case> sample) {
        List<Trial> trials = new ArrayList<>();
        List<Trial> kinds = new ArrayList<>(); // the examples of each run, other fields filled below
        for (Examples examples : options.examples()) {
            switch (examples) {
                case PAIRS -> options.windows().forEach(window -> kinds.add(new Trial(0, 0, false, 0, 0, 0,
                        examples, window, 0, null, null)));
                case LINKS -> kinds.add(new Trial(0, 0, false, 0, 0, 0, examples, 0, 0, null, null));
                case NEXT -> kinds.add(new Trial(0, 0, false, 0, 0, 0, examples, 0, options.anchors(), null, null));
            }
        }
        for (Trial kind : kinds) {
            for (double temperature : options.temperatures()) {
                for (double learningRate : options.learningRates()) {
                    for (double weightDecay : options.weightDecays()) {
                        for (boolean cosine : options.cosine()) {
                            for (double logQ : options.logQ()) {
                                for (int epochs : cosine ? options.epochs() : List.of(Collections.max(options.epochs()))) {
                                    trials.addAll(trials(sample, new Trial(temperature, learningRate, cosine, logQ,
                                            epochs, weightDecay, kind.examplesKind, kind.window, kind.anchors, null,
                                            null)));
                                }
                            }
                        }
                    }
                }
            }
        }
        // keep only the chosen trial's vectors: each table is 18 MB
        Trial best = Collections.max(trials, (a, b) -> Double.compare(a.validation.ndcg(10), b.validation.ndcg(10)));
        trials.replaceAll(t -> t == best ? t : t.withoutVectors());
        return trials;
    }

    /** One training run of {@code point}'s settings, scored after each epoch the search asks for. */
    private List<Trial> trials(List<LeaveOneOut.Case> sample, Trial point) {
        List<Trial> trials = new ArrayList<>();
        long started = System.nanoTime();
        train(point, LeaveOneOut.Target.VALIDATION, (epoch, adapter) -> {
            if (!options.epochs().contains(epoch) || (point.cosine && epoch != point.epochs)) {
                return;
            }
            if (options.adapterCache() != null) {
                try {
                    adapter.save(options.adapterCache().resolve("validation-epoch" + epoch + ".adapter"));
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
            float[][] adapted = adapt(adapter);
            Trial t = new Trial(point.temperature, point.learningRate, point.cosine, point.logQ, epoch,
                    point.weightDecay, point.examplesKind, point.window, point.anchors, similarItems(sample, adapted),
                    adapted);
            trials.add(t);
            out.printf("  %s: search HR@10 %.4f NDCG@10 %.4f (%.0f s)%n", t.describe(), t.validation.hitRate(10),
                    t.validation.ndcg(10), (System.nanoTime() - started) / 1e9);
        });
        return trials;
    }

    /** Trains {@code point}'s settings (its epoch count, not its scores) on what {@code target} lets it learn from. */
    private ResidualAdapter train(Trial point, LeaveOneOut.Target target, AdapterTrainer.EpochEnd epochEnd) {
        List<TrainingExample> examples = switch (point.examplesKind) {
            case PAIRS -> CoEngagementPairs.build(data.sequences(), target.heldOut(), point.window, options.pairDecay())
                    .stream().map(TrainingExample::of).toList();
            case LINKS -> OfflineEngagement.links(LeaveOneOut.training(data, target), serviceCoEngagement()).stream()
                    .map(l -> CoEngagementPairs.fromLink(Integer.parseInt(l.from()), Integer.parseInt(l.to()),
                            l.weight())).filter(Objects::nonNull)
                    .map(TrainingExample::of).toList();
            case NEXT -> NextItemExamples.build(data.sequences(), target.heldOut(), point.anchors,
                    options.anchorDecay());
        };
        AdapterTrainer.Settings settings = new AdapterTrainer.Settings(point.temperature, point.learningRate,
                point.epochs, options.batchSize(), point.weightDecay, options.seed(), point.cosine, point.logQ);
        out.printf("Training an adapter on %d examples (%s; %s protocol: last %d item(s) of each sequence held out),"
                + " %s%n", examples.size(), point.examples(), target,
                target.heldOut(), settings);
        long started = System.nanoTime();
        ResidualAdapter adapter = new AdapterTrainer(settings).trainOnExamples(ActiveModel.DEFAULT_VERSION, base,
                examples, (epoch, batch, batches, loss) -> {
                    if (batch == batches || batch % 100 == 0) {
                        out.printf("    epoch %d, batch %d of %d: loss %.4f (%.0f s)%n", epoch, batch, batches, loss,
                                (System.nanoTime() - started) / 1e9);
                    }
                }, epochEnd == null ? AdapterTrainer.EpochEnd.NONE : epochEnd);
        Map<String, String> described = new HashMap<>(adapter.hyperParameters());
        String heldOut = ", last " + target.heldOut() + " item(s) of each sequence held out";
        switch (point.examplesKind) {
            case PAIRS -> {
                described.put("pairWindow", Integer.toString(point.window));
                described.put("pairDecay", Double.toString(options.pairDecay()));
                described.put("pairsFrom", "co-engagement" + heldOut);
            }
            case LINKS -> described.put("pairsFrom", "co-engagement links (window "
                    + EngagementConfig.DEFAULT_CO_ENGAGEMENT_WINDOW + ", step decay "
                    + EngagementConfig.DEFAULT_CO_ENGAGEMENT_STEP_DECAY + "), weight log(1 + link weight)" + heldOut);
            case NEXT -> {
                described.put("anchors", Integer.toString(point.anchors));
                described.put("anchorDecay", Double.toString(options.anchorDecay()));
                described.put("examplesFrom", "next item from its recent anchors" + heldOut);
            }
        }
        adapter = adapter.describedBy(described);
        if (target == LeaveOneOut.Target.TEST && options.adapterCache() != null) {
            try {
                adapter.save(options.adapterCache().resolve(TEST_ADAPTER));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        if (target == LeaveOneOut.Target.TEST && options.adapterOut() != null) {
            try {
                adapter.save(options.adapterOut());
                out.printf("Saved the adapter to %s%n", options.adapterOut());
            } catch (IOException e) {
                out.printf("Could not save the adapter to %s: %s%n", options.adapterOut(), e);
            }
        }
        return adapter;
    }

    /** The files of {@code --adapter-cache}: the adapters trained for each pass. */
    static final String VALIDATION_ADAPTER = "validation.adapter";
    static final String TEST_ADAPTER = "test.adapter";

    /** Whether the flags span one training run (so a cache holds exactly its adapters). */
    private boolean singleRun() {
        return options.examples().size() == 1 && options.temperatures().size() == 1
                && options.learningRates().size() == 1 && options.weightDecays().size() == 1
                && options.logQ().size() == 1 && List.of(false).equals(options.cosine())
                && (options.examples().get(0) != Examples.PAIRS || options.windows().size() == 1);
    }

    /** The flags' one grid point, at their largest epoch count. */
    private Trial onlyPoint() {
        return new Trial(options.temperatures().get(0), options.learningRates().get(0), false, options.logQ().get(0),
                Collections.max(options.epochs()), options.weightDecays().get(0), options.examples().get(0),
                options.windows().get(0), options.anchors(), null, null);
    }

    /** Co-engagement as the service records it by default. */
    private static CoEngagement serviceCoEngagement() {
        return new CoEngagement(Integer.parseInt(EngagementConfig.DEFAULT_CO_ENGAGEMENT_WINDOW),
                Double.parseDouble(EngagementConfig.DEFAULT_CO_ENGAGEMENT_STEP_DECAY));
    }

    private float[][] adapt(ResidualAdapter adapter) {
        float[][] adapted = new float[base.length][];
        for (int item = 1; item < base.length; item++) {
            adapted[item] = adapter.apply(base[item]);
        }
        return adapted;
    }

    /**
     * The search's stand-in for the content-only path: every item scored by its cosine to the
     * shopper's most recent distinct items, weighted as the "similar" source weights its anchors
     * (exact, over the whole catalog, history masked by the evaluator).
     */
    private RankingMetrics similarItems(List<LeaveOneOut.Case> cases, float[][] vectors) {
        int d = vectors[1].length;
        int n = vectors.length;
        float[] byDimension = new float[d * n];
        for (int item = 1; item < n; item++) {
            for (int c = 0; c < d; c++) {
                byDimension[c * n + item] = vectors[item][c];
            }
        }
        int anchors = Integer.parseInt(BlendDefaults.ANCHORS);
        double decay = Double.parseDouble(BlendDefaults.ANCHOR_DECAY);
        return Evaluator.evaluate(cases, data.itemCount(), (c, scores) -> {
            float[] query = new float[d];
            Set<Integer> seen = new LinkedHashSet<>();
            double weight = 1;
            for (int i = c.history().length - 1; i >= 0 && seen.size() < anchors; i--) {
                if (seen.add(c.history()[i])) {
                    float[] v = vectors[c.history()[i]];
                    for (int k = 0; k < d; k++) {
                        query[k] += (float) (weight * v[k]);
                    }
                    weight *= decay;
                }
            }
            for (int k = 0; k < d; k++) {
                float q = query[k];
                int offset = k * n;
                for (int item = 1; item < n; item++) {
                    scores[item] += q * byDimension[offset + item];
                }
            }
        });
    }

    private List<LeaveOneOut.Case> sample(List<LeaveOneOut.Case> cases) {
        if (options.searchShoppers() <= 0 || options.searchShoppers() >= cases.size()) {
            return cases;
        }
        List<LeaveOneOut.Case> shuffled = new ArrayList<>(cases);
        Collections.shuffle(shuffled, new Random(options.seed()));
        return List.copyOf(shuffled.subList(0, options.searchShoppers()));
    }

    private static float[][] table(Interactions data, Map<String, float[]> vectors) {
        float[][] table = new float[data.itemCount() + 1][];
        for (int item = 1; item <= data.itemCount(); item++) {
            table[item] = vectors.get(BlendEvaluation.id(item));
        }
        return table;
    }

    private static Map<String, float[]> vectorMap(float[][] table) {
        Map<String, float[]> map = new HashMap<>();
        for (int item = 1; item < table.length; item++) {
            map.put(BlendEvaluation.id(item), table[item]);
        }
        return map;
    }

    private static String comparisonTable(BlendEvaluation.Report before, BlendEvaluation.Report after, Trial chosen) {
        StringBuilder t = new StringBuilder();
        t.append("| full ranking, test targets | HR@5 | NDCG@5 | HR@10 | NDCG@10 | HR@20 | NDCG@20 |\n");
        t.append("|---|---|---|---|---|---|---|\n");
        if (before == null) {
            row(t, "content-only, fine-tuned adapter (" + after.contentChoice() + ")", after.contentOnly());
            row(t, "blend, fine-tuned adapter (" + after.blendChoice() + ")", after.blend());
            after.alone().forEach((source, metrics) -> row(t, source + " alone, fine-tuned adapter", metrics));
            t.append(String.format(Locale.ROOT, "%nValidation NDCG@10 (weights chosen there): content-only %.4f,"
                    + " blend %.4f.%n", after.contentValidationNdcg10(), after.blendValidationNdcg10()));
            t.append("Adapter hyper-parameters chosen on validation: ").append(chosen.describe()).append(".\n");
            return t.toString();
        }
        row(t, "content-only, base bge-small-en-v1.5 (" + before.contentChoice() + ")", before.contentOnly());
        row(t, "content-only, fine-tuned adapter (" + after.contentChoice() + ")", after.contentOnly());
        row(t, "blend, base (" + before.blendChoice() + ")", before.blend());
        row(t, "blend, fine-tuned adapter (" + after.blendChoice() + ")", after.blend());
        before.alone().forEach((source, metrics) -> row(t, source + " alone, base", metrics));
        after.alone().forEach((source, metrics) -> row(t, source + " alone, fine-tuned adapter", metrics));
        t.append(String.format(Locale.ROOT, "%nLift at 10: content-only HR %+.1f %%, NDCG %+.1f %%; blend HR %+.1f %%,"
                        + " NDCG %+.1f %%.%n", lift(before.contentOnly().hitRate(10), after.contentOnly().hitRate(10)),
                lift(before.contentOnly().ndcg(10), after.contentOnly().ndcg(10)),
                lift(before.blend().hitRate(10), after.blend().hitRate(10)),
                lift(before.blend().ndcg(10), after.blend().ndcg(10))));
        t.append(String.format(Locale.ROOT, "Validation NDCG@10 (weights chosen there): content-only %.4f → %.4f,"
                        + " blend %.4f → %.4f.%n", before.contentValidationNdcg10(), after.contentValidationNdcg10(),
                before.blendValidationNdcg10(), after.blendValidationNdcg10()));
        t.append("Adapter hyper-parameters chosen on validation: ").append(chosen.describe()).append(".\n");
        return t.toString();
    }

    private String searchTable(int shoppers, RankingMetrics base, List<Trial> trials, Trial chosen) {
        StringBuilder t = new StringBuilder();
        t.append(String.format(Locale.ROOT, "Validation search (%d shoppers; exact neighbours of the 3 most recent"
                + " items; batch %d, pair decay %s, seed %d):%n%n", shoppers, options.batchSize(), options.pairDecay(),
                options.seed()));
        t.append("| τ | learning rate | epochs | weight decay | pair window | anchors | HR@10 | NDCG@10 |\n");
        t.append("|---|---|---|---|---|---|---|---|\n");
        t.append(String.format(Locale.ROOT, "| base | | | | | | %.4f | %.4f |%n", base.hitRate(10), base.ndcg(10)));
        for (Trial trial : trials) {
            String mark = trial == chosen ? "**" : "";
            t.append(String.format(Locale.ROOT, "| %s | %s | %d | %s | %s | %s | %s%.4f%s | %s%.4f%s |%n",
                    trial.temperature + (trial.logQ > 0 ? " (logQ " + trial.logQ + ")" : ""),
                    trial.learningRate + (trial.cosine ? " (cosine)" : ""), trial.epochs,
                    trial.weightDecay,
                    trial.examplesKind == Examples.PAIRS ? Integer.toString(trial.window)
                            : trial.examplesKind == Examples.LINKS ? "service links" : "-",
                    trial.examplesKind == Examples.NEXT ? trial.anchors + " (decay " + options.anchorDecay() + ")" : "-",
                    mark,
                    trial.validation.hitRate(10), mark, mark, trial.validation.ndcg(10), mark));
        }
        return t.toString();
    }

    private static void row(StringBuilder t, String name, RankingMetrics m) {
        t.append(String.format(Locale.ROOT, "| %s | %.4f | %.4f | %.4f | %.4f | %.4f | %.4f |%n", name, m.hitRate(5),
                m.ndcg(5), m.hitRate(10), m.ndcg(10), m.hitRate(20), m.ndcg(20)));
    }

    private static double lift(double before, double after) {
        return before == 0 ? 0 : 100 * (after - before) / before;
    }
}

package io.tastemaker.evaluation;

import io.tastemaker.embedding.ActiveModel;
import io.tastemaker.models.AdapterTrainer;
import io.tastemaker.models.CoEngagementPairs;
import io.tastemaker.models.ResidualAdapter;
import io.tastemaker.models.TrainingPair;
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
import java.util.Random;
import java.util.Set;
import java.util.function.Function;

/**
 * {@code evaluate <dir> --fine-tune}: the base model against a {@link ResidualAdapter} trained
 * on the shoppers' co-engagement, through the same evaluation ({@link BlendEvaluation}).
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
 */
final class FineTuneComparison {

    /**
     * The command's flags; lists (comma-separated) span the validation search. The defaults are
     * the point the validation search on Beauty chose (README, Quality), so a plain
     * {@code --fine-tune} trains once per target.
     */
    record Options(List<Double> temperatures, List<Double> learningRates, List<Integer> epochs,
                   List<Double> weightDecays, List<Integer> windows, double pairDecay, int batchSize, long seed,
                   int searchShoppers, boolean searchOnly, Path adapterOut) {

        static final String USAGE = "--tau 0.1] [--lr 0.001] [--epochs 4] [--weight-decay 0] [--window 2]"
                + " [--pair-decay 0.8] [--batch 512] [--seed 7] [--search-shoppers 8000] [--search-only]"
                + " [--adapter-out file";

        static Options parse(List<String> args) {
            if (!args.contains("--fine-tune")) {
                throw new IllegalArgumentException("unknown arguments " + args);
            }
            Map<String, String> values = new HashMap<>();
            boolean searchOnly = false;
            for (int i = 0; i < args.size(); i++) {
                String flag = args.get(i);
                switch (flag) {
                    case "--fine-tune" -> {
                    }
                    case "--search-only" -> searchOnly = true;
                    case "--tau", "--lr", "--epochs", "--weight-decay", "--window", "--pair-decay", "--batch", "--seed",
                         "--search-shoppers", "--adapter-out" -> {
                        if (i + 1 >= args.size()) {
                            throw new IllegalArgumentException(flag + " needs a value");
                        }
                        values.put(flag, args.get(++i));
                    }
                    default -> throw new IllegalArgumentException("unknown argument " + flag);
                }
            }
            try {
                return new Options(list(values.getOrDefault("--tau", "0.1"), Double::valueOf),
                        list(values.getOrDefault("--lr", "0.001"), Double::valueOf),
                        list(values.getOrDefault("--epochs", "4"), Integer::valueOf),
                        list(values.getOrDefault("--weight-decay", "0"), Double::valueOf),
                        list(values.getOrDefault("--window", "2"), Integer::valueOf),
                        Double.parseDouble(values.getOrDefault("--pair-decay", "0.8")),
                        Integer.parseInt(values.getOrDefault("--batch", "512")),
                        Long.parseLong(values.getOrDefault("--seed", "7")),
                        Integer.parseInt(values.getOrDefault("--search-shoppers", "8000")), searchOnly,
                        values.containsKey("--adapter-out") ? Path.of(values.get("--adapter-out")) : null);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a number: " + e.getMessage());
            }
        }

        private static <T> List<T> list(String csv, Function<String, T> parse) {
            List<T> list = new ArrayList<>();
            for (String part : csv.split(",")) {
                list.add(parse.apply(part.trim()));
            }
            return list;
        }
    }

    /** One point of the search and its validation score. */
    record Trial(double temperature, double learningRate, int epochs, double weightDecay, int window,
                 RankingMetrics validation, float[][] vectors) {

        String describe() {
            return String.format(Locale.ROOT, "τ %s, learning rate %s, %d epochs, weight decay %s, pair window %d",
                    temperature, learningRate, epochs, weightDecay, window);
        }
    }

    /** What the command found: both evaluations (null when only searching), the chosen point, the report. */
    record Result(BlendEvaluation.Report base, BlendEvaluation.Report fineTuned, Trial chosen, String table) {
    }

    private final Interactions data;
    private final Options options;
    private final PrintStream out;
    private final float[][] base;

    private FineTuneComparison(Interactions data, Options options, PrintStream out, float[][] base) {
        this.data = data;
        this.options = options;
        this.out = out;
        this.base = base;
    }

    static void run(Path dir, Path report, Options options, PrintStream out) throws IOException {
        long started = System.nanoTime();
        Interactions data = Interactions.readBeauty(dir);
        out.printf("Read %d shoppers, %d items, %d titles from %s%n", data.sequences().size(), data.itemCount(),
                data.titles().size(), dir);
        Result result = compare(data, options, out);
        out.println();
        out.println(result.table());
        if (report != null) {
            Files.writeString(report, result.table());
        }
        out.printf("Done in %.0f s%n", (System.nanoTime() - started) / 1e9);
    }

    static Result compare(Interactions data, Options options, PrintStream out) throws IOException {
        Map<String, float[]> baseVectors = BlendEvaluation.baseVectors(data, out);
        return new FineTuneComparison(data, options, out, table(data, baseVectors)).compare(baseVectors);
    }

    private Result compare(Map<String, float[]> baseVectors) throws IOException {
        StringBuilder report = new StringBuilder();
        List<LeaveOneOut.Case> sample = sample(LeaveOneOut.cases(data, LeaveOneOut.Target.VALIDATION));
        RankingMetrics baseSearch = similarItems(sample, base);
        out.printf("Validation search on %d shoppers (exact neighbours of the 3 most recent items): base HR@10 %.4f"
                + " NDCG@10 %.4f%n", sample.size(), baseSearch.hitRate(10), baseSearch.ndcg(10));
        List<Trial> trials = search(sample);
        Trial chosen = Collections.max(trials, (a, b) -> Double.compare(a.validation.ndcg(10), b.validation.ndcg(10)));
        out.printf("Chosen on validation: %s (search NDCG@10 %.4f)%n", chosen.describe(), chosen.validation.ndcg(10));
        report.append(searchTable(sample.size(), baseSearch, trials, chosen));
        if (options.searchOnly()) {
            return new Result(null, null, chosen, report.toString());
        }

        float[][] forTest = adapt(train(chosen.temperature, chosen.learningRate, chosen.epochs, chosen.weightDecay,
                chosen.window, LeaveOneOut.Target.TEST, null));
        String version = ActiveModel.DEFAULT_VERSION + "+adapter";
        out.println("Base model:");
        BlendEvaluation.Report before = BlendEvaluation.evaluate(data, baseVectors, baseVectors,
                ActiveModel.DEFAULT_VERSION, out);
        out.println("Fine-tuned adapter:");
        BlendEvaluation.Report after = BlendEvaluation.evaluate(data, vectorMap(chosen.vectors), vectorMap(forTest),
                version, out);
        report.insert(0, comparisonTable(before, after, chosen) + "\n");
        return new Result(before, after, chosen, report.toString());
    }

    /** Every grid point, trained on the validation protocol's pairs; epoch counts read off one run. */
    private List<Trial> search(List<LeaveOneOut.Case> sample) {
        List<Trial> trials = new ArrayList<>();
        int maxEpochs = Collections.max(options.epochs());
        for (int window : options.windows()) {
            for (double temperature : options.temperatures()) {
                for (double learningRate : options.learningRates()) {
                    for (double weightDecay : options.weightDecays()) {
                        long started = System.nanoTime();
                        train(temperature, learningRate, maxEpochs, weightDecay, window, LeaveOneOut.Target.VALIDATION,
                                (epoch, adapter) -> {
                                    if (!options.epochs().contains(epoch)) {
                                        return;
                                    }
                                    float[][] adapted = adapt(adapter);
                                    Trial t = new Trial(temperature, learningRate, epoch, weightDecay, window,
                                            similarItems(sample, adapted), adapted);
                                    trials.add(t);
                                    out.printf("  %s: search HR@10 %.4f NDCG@10 %.4f (%.0f s)%n", t.describe(),
                                            t.validation.hitRate(10), t.validation.ndcg(10),
                                            (System.nanoTime() - started) / 1e9);
                                });
                    }
                }
            }
        }
        // keep only the chosen trial's vectors: each table is 18 MB
        Trial best = Collections.max(trials, (a, b) -> Double.compare(a.validation.ndcg(10), b.validation.ndcg(10)));
        trials.replaceAll(t -> t == best ? t : new Trial(t.temperature, t.learningRate, t.epochs, t.weightDecay,
                t.window, t.validation, null));
        return trials;
    }

    private ResidualAdapter train(double temperature, double learningRate, int epochs, double weightDecay, int window,
                                  LeaveOneOut.Target target, AdapterTrainer.EpochEnd epochEnd) {
        List<TrainingPair> pairs = CoEngagementPairs.build(data.sequences(), target.heldOut(), window,
                options.pairDecay());
        AdapterTrainer.Settings settings = new AdapterTrainer.Settings(temperature, learningRate, epochs,
                options.batchSize(), weightDecay, options.seed());
        out.printf("Training an adapter on %d pairs (%s protocol: last %d item(s) of each sequence held out), %s%n",
                pairs.size(), target, target.heldOut(), settings);
        long started = System.nanoTime();
        ResidualAdapter adapter = new AdapterTrainer(settings).train(ActiveModel.DEFAULT_VERSION, base, pairs,
                (epoch, batch, batches, loss) -> {
                    if (batch == batches || batch % 100 == 0) {
                        out.printf("    epoch %d, batch %d of %d: loss %.4f (%.0f s)%n", epoch, batch, batches, loss,
                                (System.nanoTime() - started) / 1e9);
                    }
                }, epochEnd == null ? AdapterTrainer.EpochEnd.NONE : epochEnd);
        Map<String, String> described = new HashMap<>(adapter.hyperParameters());
        described.put("pairWindow", Integer.toString(window));
        described.put("pairDecay", Double.toString(options.pairDecay()));
        described.put("pairsFrom", "co-engagement, last " + target.heldOut() + " item(s) of each sequence held out");
        adapter = adapter.describedBy(described);
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
        row(t, "content-only, base bge-small-en-v1.5 (" + before.contentChoice() + ")", before.contentOnly());
        row(t, "content-only, fine-tuned adapter (" + after.contentChoice() + ")", after.contentOnly());
        row(t, "blend, base (" + before.blendChoice() + ")", before.blend());
        row(t, "blend, fine-tuned adapter (" + after.blendChoice() + ")", after.blend());
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
        t.append("| τ | learning rate | epochs | weight decay | pair window | HR@10 | NDCG@10 |\n");
        t.append("|---|---|---|---|---|---|---|\n");
        t.append(String.format(Locale.ROOT, "| base | | | | | %.4f | %.4f |%n", base.hitRate(10), base.ndcg(10)));
        for (Trial trial : trials) {
            String mark = trial == chosen ? "**" : "";
            t.append(String.format(Locale.ROOT, "| %s | %s | %d | %s | %d | %s%.4f%s | %s%.4f%s |%n", trial.temperature,
                    trial.learningRate, trial.epochs, trial.weightDecay, trial.window, mark,
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

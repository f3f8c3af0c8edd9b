package io.tastemaker.evaluation;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code evaluate --fine-tune --json <file>}: the comparison's results, machine-readably, for
 * notebooks to plot: test metrics (HR and NDCG at 5/10/20) of the base and the fine-tuned model,
 * content-only and blend, with the weights (and the blend's co-engagement floor) validation chose,
 * and each source alone; the chosen hyper-parameters; every
 * validation search trial; the dataset, the run time and the machine. Test sections are null
 * after {@code --search-only}.
 */
final class FineTuneJson {

    private FineTuneJson() {
    }

    static void write(Path file, String dataset, Interactions data, FineTuneOptions options,
                      FineTuneComparison.Result result, double elapsedSeconds) throws IOException {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("dataset", dataset);
        root.put("shoppers", data.sequences().size());
        root.put("items", data.itemCount());
        root.put("protocol", "leave-one-out, full ranking, history masked; hyper-parameters and blend weights"
                + " chosen on the validation targets, metrics on the test targets");
        root.put("elapsedSeconds", Math.round(elapsedSeconds * 10) / 10.0);
        root.put("machine", machine());
        root.put("chosen", hyperParameters(result.chosen(), options));
        Map<String, Object> search = new LinkedHashMap<>();
        search.put("shoppers", result.searchShoppers());
        search.put("scoredBy", "exact cosine neighbours of each shopper's 3 most recent items (the similar source)");
        search.put("base", Map.of("hr@10", result.baseSearch().hitRate(10), "ndcg@10", result.baseSearch().ndcg(10)));
        List<Map<String, Object>> trials = new ArrayList<>();
        for (FineTuneComparison.Trial t : result.trials()) {
            Map<String, Object> trial = hyperParameters(t, options);
            trial.put("hr@10", t.validation().hitRate(10));
            trial.put("ndcg@10", t.validation().ndcg(10));
            trial.put("chosen", t == result.chosen());
            trials.add(trial);
        }
        search.put("trials", trials);
        root.put("validationSearch", search);
        root.put("base", model(result.base()));
        root.put("fineTuned", model(result.fineTuned()));
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), root);
    }

    private static Map<String, Object> hyperParameters(FineTuneComparison.Trial t, FineTuneOptions options) {
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("temperature", t.temperature());
        h.put("learningRate", t.learningRate());
        h.put("schedule", t.cosine() ? "cosine" : "constant");
        h.put("logQCorrection", t.logQ());
        h.put("epochs", t.epochs());
        h.put("weightDecay", t.weightDecay());
        h.put("examples", t.examplesKind().name().toLowerCase(java.util.Locale.ROOT));
        h.put("examplesDescribed", t.examples());
        switch (t.examplesKind()) {
            case PAIRS -> {
                h.put("pairWindow", t.window());
                h.put("pairDecay", options.pairDecay());
            }
            case LINKS -> {
            }
            case NEXT -> {
                h.put("anchors", t.anchors());
                h.put("anchorDecay", options.anchorDecay());
            }
        }
        h.put("batchSize", options.batchSize());
        h.put("seed", options.seed());
        return h;
    }

    private static Map<String, Object> model(BlendEvaluation.Report report) {
        if (report == null) {
            return null;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("contentOnly", path(report.contentOnly(), report.contentWeights(), report.contentFusion(),
                report.contentValidationNdcg10()));
        Map<String, Object> blend = path(report.blend(), report.blendWeights(), report.blendFusion(),
                report.blendValidationNdcg10());
        blend.put("coEngagementFloor", report.blendCoEngagementFloor());
        m.put("blend", blend);
        Map<String, Object> alone = new LinkedHashMap<>(); // the blend's candidates, only that source's weight
        report.alone().forEach((source, metrics) -> alone.put(source, metrics(metrics)));
        m.put("eachSourceAlone", alone);
        m.put("popularity", metrics(report.popularity()));
        return m;
    }

    private static Map<String, Object> path(RankingMetrics test, Map<String, Double> weights, String fusion,
                                            double validationNdcg10) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("test", metrics(test));
        p.put("weights", weights);
        p.put("fusion", fusion);
        p.put("validationNdcg@10", validationNdcg10);
        return p;
    }

    private static Map<String, Object> metrics(RankingMetrics m) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (int k : RankingMetrics.CUT_OFFS) {
            values.put("hr@" + k, m.hitRate(k));
        }
        for (int k : RankingMetrics.CUT_OFFS) {
            values.put("ndcg@" + k, m.ndcg(k));
        }
        values.put("cases", m.cases());
        return values;
    }

    private static Map<String, Object> machine() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cores", Runtime.getRuntime().availableProcessors());
        m.put("maxHeapBytes", Runtime.getRuntime().maxMemory());
        m.put("jvm", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        m.put("jvmVendor", System.getProperty("java.vm.vendor"));
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        return m;
    }
}

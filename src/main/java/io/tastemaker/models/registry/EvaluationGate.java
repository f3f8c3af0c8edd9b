package io.tastemaker.models.registry;

import io.tastemaker.embedding.ActiveModel;
import io.tastemaker.models.gate.Estimate;
import io.tastemaker.models.gate.Gate;
import io.tastemaker.models.gate.Verdict;
import io.tastemaker.models.gate.VersionScore;
import io.tastemaker.models.gate.Window;
import io.tastemaker.profiles.ProfileStore;
import io.tastemaker.profiles.TasteProfile;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.ToDoubleFunction;

/**
 * The content-only gate (before #20's whole-blend gate): compares a built version with the active
 * one on held-out engagement (the most recent shoppers, both versions scored on the same ones),
 * as {@link ModelEvaluation} scores "more like this". Intervals by the normal approximation over
 * the per-shopper values; both versions keep the configured feed weights.
 */
@ApplicationScoped
public class EvaluationGate implements Gate {

    /** Shoppers the gate scores both versions on. */
    static final int EVALUATION_SHOPPERS = 2000;

    private final ModelRegistry registry;
    private final LoadedModels loaded;
    private final ActiveModel models;
    private final ProfileStore profiles;
    private final ConfiguredFeedWeights configured;

    EvaluationGate(ModelRegistry registry, LoadedModels loaded, ActiveModel models, ProfileStore profiles,
                   ConfiguredFeedWeights configured) {
        this.registry = registry;
        this.loaded = loaded;
        this.models = models;
        this.profiles = profiles;
        this.configured = configured;
    }

    @Override
    public Verdict judge(String version, Progress progress) {
        ModelVersion v = registry.get(version);
        if (v.state() != ModelVersion.State.READY && v.state() != ModelVersion.State.ACTIVE) {
            throw VersionConflict.inState(v, "cannot be evaluated: its collection is not built");
        }
        List<TasteProfile> shoppers = profiles.recentProfiles(EVALUATION_SHOPPERS);
        long total = 2L * shoppers.size();
        long[] done = {0};
        Runnable step = () -> progress.at(++done[0], total);
        progress.at(0, total);
        ActiveModel.Serving active = models.serving();
        List<ModelEvaluation.Judged> candidate = ModelEvaluation.judge(loaded.serving(v), shoppers, progress::cancelled, step);
        List<ModelEvaluation.Judged> current = ModelEvaluation.judge(active, shoppers, progress::cancelled, step);
        VersionScore c = score(v.version(), candidate);
        VersionScore a = score(active.version(), current);
        Window window = new Window(first(candidate), first(candidate), last(candidate));
        if (c.shoppers() < ModelEvaluation.MIN_SHOPPERS) {
            return new Verdict(c, a, window, false, "too little held-out engagement to judge (" + c.shoppers()
                    + " shoppers with two or more products; " + ModelEvaluation.MIN_SHOPPERS + " needed)");
        }
        boolean worse = c.ndcg().value() < a.ndcg().value();
        return new Verdict(c, a, window, worse, String.format(Locale.ROOT,
                "%s scores NDCG@10 %.4f (HR@10 %.4f) against %.4f (%.4f) for the active %s, over the same %d shoppers",
                v.version(), c.ndcg().value(), c.hitRate().value(), a.ndcg().value(), a.hitRate().value(), a.version(),
                c.shoppers()));
    }

    private VersionScore score(String version, List<ModelEvaluation.Judged> judged) {
        return new VersionScore(version, judged.size(), estimate(judged, ModelEvaluation.Judged::hit),
                estimate(judged, ModelEvaluation.Judged::gain), configured.feed());
    }

    /** The mean with a 95 % interval by the normal approximation (0 ± 0 without shoppers). */
    static Estimate estimate(List<ModelEvaluation.Judged> judged, ToDoubleFunction<ModelEvaluation.Judged> value) {
        int n = judged.size();
        if (n == 0) {
            return new Estimate(0, 0, 0);
        }
        double mean = judged.stream().mapToDouble(value).average().orElse(0);
        double variance = n < 2 ? 0 : judged.stream().mapToDouble(j -> Math.pow(value.applyAsDouble(j) - mean, 2)).sum() / (n - 1);
        double half = 1.96 * Math.sqrt(variance / n);
        return new Estimate(mean, Math.max(0, mean - half), Math.min(1, mean + half));
    }

    private static Instant first(List<ModelEvaluation.Judged> judged) {
        return judged.stream().map(ModelEvaluation.Judged::heldOutAt).filter(Objects::nonNull).min(Instant::compareTo)
                .orElse(null);
    }

    private static Instant last(List<ModelEvaluation.Judged> judged) {
        return judged.stream().map(ModelEvaluation.Judged::heldOutAt).filter(Objects::nonNull).max(Instant::compareTo)
                .orElse(null);
    }
}

package io.tastemaker.models.registry;

import io.tastemaker.embedding.ActiveModel;
import io.tastemaker.profiles.ProfileStore;
import io.tastemaker.profiles.TasteProfile;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Locale;

/**
 * Compares a built version with the active one on held-out engagement (the most recent
 * shoppers, both versions scored on the same ones), and keeps a promotion from making things worse.
 */
@ApplicationScoped
public class EvaluationGate {

    /** Shoppers the gate scores both versions on. */
    static final int EVALUATION_SHOPPERS = 2000;

    private final ModelRegistry registry;
    private final LoadedModels loaded;
    private final ActiveModel models;
    private final ProfileStore profiles;

    EvaluationGate(ModelRegistry registry, LoadedModels loaded, ActiveModel models, ProfileStore profiles) {
        this.registry = registry;
        this.loaded = loaded;
        this.models = models;
        this.profiles = profiles;
    }

    /** A candidate's score beside the active version's, on the same shoppers. */
    public record Comparison(ModelEvaluation.Score candidate, ModelEvaluation.Score active, boolean worse, String verdict) {
    }

    /** Scores a built version against the active one. */
    public Comparison evaluate(String version) {
        ModelVersion v = registry.get(version);
        if (v.state() != ModelVersion.State.READY && v.state() != ModelVersion.State.ACTIVE) {
            throw VersionConflict.inState(v, "cannot be evaluated: its collection is not built");
        }
        List<TasteProfile> shoppers = profiles.recentProfiles(EVALUATION_SHOPPERS);
        ModelEvaluation.Score candidate = ModelEvaluation.score(loaded.serving(v), shoppers);
        ModelEvaluation.Score active = ModelEvaluation.score(models.serving(), shoppers);
        if (candidate.shoppers() < ModelEvaluation.MIN_SHOPPERS) {
            return new Comparison(candidate, active, false, "too little held-out engagement to judge (" + candidate.shoppers()
                    + " shoppers with two or more products; " + ModelEvaluation.MIN_SHOPPERS + " needed)");
        }
        boolean worse = candidate.ndcg() < active.ndcg();
        return new Comparison(candidate, active, worse, String.format(Locale.ROOT,
                "%s scores NDCG@10 %.4f (HR@10 %.4f) against %.4f (%.4f) for the active %s, over the same %d shoppers",
                v.version(), candidate.ndcg(), candidate.hitRate(), active.ndcg(), active.hitRate(), active.version(),
                candidate.shoppers()));
    }

    /** @throws VersionConflict when the version scores worse than the active one */
    void admit(String version) {
        Comparison gate = evaluate(version);
        if (gate.worse()) {
            throw VersionConflict.worseThanActive(gate.verdict());
        }
    }
}

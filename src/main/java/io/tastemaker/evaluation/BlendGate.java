package io.tastemaker.evaluation;

import io.tastemaker.embedding.ActiveModel;
import io.tastemaker.engagement.EngagementConfig;
import io.tastemaker.engagement.EventType;
import io.tastemaker.models.gate.Gate;
import io.tastemaker.models.gate.Verdict;
import io.tastemaker.models.registry.LoadedModels;
import io.tastemaker.models.registry.ModelRegistry;
import io.tastemaker.models.registry.ModelVersion;
import io.tastemaker.models.registry.ModelsConfig;
import io.tastemaker.models.registry.VersionConflict;
import io.tastemaker.models.training.FineTuner;
import io.tastemaker.models.training.ResidualAdapter;
import io.tastemaker.profiles.ProfileStore;
import io.tastemaker.profiles.TasteProfile;
import io.tastemaker.recommend.BlendConfig;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The evaluation gate of the service ({@link Gate}): reads the shoppers' engagement and the two
 * versions' collections and hands them to {@link GateEvaluation}, with the time split of
 * {@code tastemaker.models.gate.*} moved past any training cut-off the versions record (an adapter
 * fine-tuned here records {@code trainedUntil}), so neither is scored on engagement it learnt from.
 * Long-running (seconds to minutes): call it from a job's thread.
 */
@ApplicationScoped
public class BlendGate implements Gate {

    private static final Logger LOG = Logger.getLogger(BlendGate.class);

    private final ModelRegistry registry;
    private final LoadedModels loaded;
    private final ActiveModel models;
    private final ProfileStore profiles;
    private final ModelsConfig.Gate config;
    private final GateEvaluation.Settings settings;

    BlendGate(ModelRegistry registry, LoadedModels loaded, ActiveModel models, ProfileStore profiles,
              ModelsConfig modelsConfig, EngagementConfig engagement, BlendConfig blend) {
        this.registry = registry;
        this.loaded = loaded;
        this.models = models;
        this.profiles = profiles;
        this.config = modelsConfig.gate();
        // the feed's configured weights and floor are where each version's search starts
        this.settings = new GateEvaluation.Settings(blend.floored(blend.feed().weights()), blend.fusion(), blend.anchors(),
                blend.anchorDecay(), engagement.profileHalfLife(), engagement.trendingHalfLife(),
                engagement.coEngagement().window(), engagement.coEngagement().stepDecay(),
                type -> EventType.fromWire(type).map(t -> engagement.weights().of(t)).orElse(0.0),
                config.searchShoppers(), config.minShoppers());
    }

    @Override
    public Verdict judge(String version, Progress progress) {
        ModelVersion v = registry.get(version);
        if (v.state() != ModelVersion.State.READY && v.state() != ModelVersion.State.ACTIVE) {
            throw VersionConflict.inState(v, "cannot be evaluated: its collection is not built");
        }
        long started = System.nanoTime();
        ActiveModel.Serving candidate = loaded.serving(v);
        ActiveModel.Serving active = models.serving();
        List<TasteProfile> engagement = profiles.recentProfiles(config.engagementShoppers());
        List<TasteProfile> evaluated = new ArrayList<>(engagement);
        evaluated.sort(Comparator.comparing(TasteProfile::asOf, Comparator.nullsLast(Comparator.reverseOrder()))
                .thenComparing(TasteProfile::userId));
        evaluated = evaluated.subList(0, Math.min(evaluated.size(), config.shoppers()));

        Instant activeUntil = registry.find(active.version()).map(this::trainedUntil).orElse(null);
        Verdict verdict = new GateEvaluation(settings).judge(
                new GateEvaluation.Version(candidate.version(), candidate.index()), trainedUntil(v),
                new GateEvaluation.Version(active.version(), active.index()), activeUntil, evaluated, engagement,
                config.split(), progress);
        LOG.infof("Gate on %s in %d ms: %s", version, (System.nanoTime() - started) / 1_000_000, verdict.summary());
        return verdict;
    }

    /** The training cut-off a version records: an adapter fine-tuned here; null for anything else. */
    private Instant trainedUntil(ModelVersion v) {
        if (v.kind() != ModelVersion.Kind.ADAPTER) {
            return null;
        }
        try {
            byte[] artifact = registry.artifact(v.version()).orElse(null);
            return artifact == null ? null : FineTuner.trainedUntil(ResidualAdapter.fromBytes(artifact, v.version()));
        } catch (IOException e) {
            return null;
        }
    }
}

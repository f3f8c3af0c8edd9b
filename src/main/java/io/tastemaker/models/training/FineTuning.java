package io.tastemaker.models.training;

import io.tastemaker.profiles.ProfileStore;
import io.tastemaker.models.registry.LoadedModels;
import io.tastemaker.models.registry.ModelRegistration;
import io.tastemaker.models.registry.ModelVersion;
import io.tastemaker.models.registry.ModelVersions;
import io.tastemaker.models.registry.ModelsConfig;
import io.tastemaker.models.registry.VersionConflict;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Fine-tuning as a data scientist asks for it: an adapter trained over a built version on the
 * shop's co-engagement ({@link FineTuner}), then registered as a new version whose index build
 * starts at once.
 */
@ApplicationScoped
public class FineTuning {

    private static final int RECENT_JOBS = 50;

    private final ModelVersions versions;
    private final LoadedModels loaded;
    private final FineTuner fineTuner;

    FineTuning(ModelVersions versions, LoadedModels loaded, ProfileStore profiles, FineTuneJobStore jobs, ModelsConfig config) {
        this.versions = versions;
        this.loaded = loaded;
        this.fineTuner = new FineTuner(profiles, jobs, loaded.guard().directory(), config.gate().split());
    }

    /** Starts training an adapter over {@code base}; the job's progress is readable on every instance. */
    public FineTuner.Job start(String base, FineTuneRequest request) {
        ModelVersion baseVersion = versions.get(base);
        if (baseVersion.state() != ModelVersion.State.ACTIVE && baseVersion.state() != ModelVersion.State.READY) {
            throw VersionConflict.inState(baseVersion, "cannot be fine-tuned: its collection must be built (ready or active)");
        }
        if (baseVersion.kind() == ModelVersion.Kind.ADAPTER) {
            throw VersionConflict.inState(baseVersion, "cannot be fine-tuned: it is an adapter itself; fine-tune its base");
        }
        if (versions.find(request.version()).isPresent()) {
            throw VersionConflict.alreadyRegistered(request.version());
        }
        return fineTuner.start(request.version(), loaded.serving(baseVersion), request.settings(), request.minWeight(),
                request.cutOff(), trained -> {
                    versions.register(new ModelRegistration(trained.version(), ModelVersion.Kind.ADAPTER,
                            ModelVersion.Spec.adapter(base, trained.adapterPath())));
                    versions.index(trained.version());
                });
    }

    /** The most recently started jobs, newest first. */
    public java.util.List<FineTuner.Job> recentJobs() {
        return fineTuner.recentJobs(RECENT_JOBS);
    }

    public FineTuner.Job job(String version) {
        FineTuner.Job job = fineTuner.job(version);
        if (job == null) {
            throw new UnknownFineTune(version);
        }
        return job;
    }
}

package io.tastemaker.models.experiments;

import io.tastemaker.api.InvalidInputException;
import io.tastemaker.embedding.ActiveModel;
import io.tastemaker.models.registry.LoadedModels;
import io.tastemaker.models.registry.ModelRegistry;
import io.tastemaker.models.registry.ModelVersion;
import io.tastemaker.models.registry.VersionConflict;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import org.jboss.logging.Logger;

import java.util.Map;
import java.util.Optional;

/**
 * A/B experiments: starts, ramps and ends them in the registry, and applies the running one on
 * this instance (its treatment loaded, its {@link Split} handed to {@link Assignments}), writing
 * the lists served here. The registry follower calls {@link #follow()} on every poll, so an
 * experiment started on any instance reaches all of them.
 */
@ApplicationScoped
public class Experiments {

    private static final Logger LOG = Logger.getLogger(Experiments.class);

    private final ExperimentStore store;
    private final ModelRegistry registry;
    private final LoadedModels loaded;
    private final Assignments assignments;
    private final Instance<ShopperOutcomes> outcomes;

    /** {@code outcomes}: the per-shopper totals the report judges by; without them it shows counts only. */
    Experiments(ExperimentStore store, ModelRegistry registry, LoadedModels loaded, Assignments assignments,
                Instance<ShopperOutcomes> outcomes) {
        this.store = store;
        this.registry = registry;
        this.loaded = loaded;
        this.assignments = assignments;
        this.outcomes = outcomes;
    }

    /**
     * Starts an A/B experiment (the active version against a ready one, for a share of the
     * shoppers), or changes the share of the one running with the same two versions.
     */
    public Experiment start(ExperimentRequest request, String actor) {
        ModelVersion active = registry.active().orElseThrow(VersionConflict::noActiveVersion);
        if (request.control() != null && !request.control().equals(active.version())) {
            throw new InvalidInputException("control", "must be the active version '" + active.version() + "' (or left out), got '"
                    + request.control() + "'");
        }
        if (request.treatment().equals(active.version())) {
            throw new InvalidInputException("treatment", "must not be the active version '" + active.version() + "'");
        }
        ModelVersion treatment = registry.find(request.treatment()).orElseThrow(() -> new InvalidInputException("treatment",
                "no version '" + request.treatment() + "' is registered"));
        if (treatment.state() != ModelVersion.State.READY) {
            throw VersionConflict.inState(treatment, "cannot be a treatment: only a ready version can (its collection built and maintained)");
        }
        Experiment started = store.start(active.version(), treatment.version(), request.basisPoints(), actor);
        follow();
        return started;
    }

    /** Ends the running experiment; its report stays readable. */
    public ExperimentReport end(String actor) {
        Experiment ended = store.end("ended by " + actor).orElseThrow(NoExperimentRunning::new);
        follow();
        return report(ended);
    }

    /** The running experiment's results so far, or the last one's. */
    public ExperimentReport report() {
        Experiment latest = store.latest().orElseThrow(NoExperimentYet::new);
        Split split = assignments.split();
        if (split != null && split.id() == latest.id()) {
            flushServed(split); // this instance's own lists count at once
        }
        return report(latest);
    }

    private ExperimentReport report(Experiment experiment) {
        Map<Variant, ExperimentStore.Tally> tallies = store.tallies(experiment.id());
        return outcomes.isResolvable()
                ? ExperimentReport.of(experiment, tallies, outcomes.get().of(experiment.id()))
                : ExperimentReport.withoutShopperOutcomes(experiment, tallies);
    }

    /** Applies the registry's running experiment here (its treatment loaded) and writes the lists served. */
    public synchronized void follow() {
        Optional<Experiment> running = store.running();
        Split split = assignments.split();
        if (split != null && (running.isEmpty() || running.get().id() != split.id())) {
            assignments.split(null);
            flushServed(split);
            split = null;
        }
        if (running.isEmpty()) {
            return;
        }
        Experiment experiment = running.get();
        if (split == null) {
            ActiveModel.Serving treatment = loaded.loadable(registry.get(experiment.treatment()));
            if (treatment == null) {
                return; // refused at load: marked failed, so it serves no one
            }
            assignments.split(new Split(experiment.id(), experiment.basisPoints(), treatment, experiment.startedAt()));
            LOG.infof("Experiment %d: %s serves %.2f %% of shoppers (control %s)", experiment.id(),
                    experiment.treatment(), experiment.percent(), experiment.control());
        } else {
            split.rampTo(experiment.basisPoints());
            flushServed(split);
        }
    }

    /** At shutdown: the lists served since the last poll are written, or the loss is logged. */
    public void stop() {
        Split split = assignments.split();
        if (split != null) {
            try {
                flushServed(split);
            } catch (RuntimeException e) {
                LOG.warnf("Lists served in experiment %d since the last poll are not counted: %s", split.id(), e.toString());
            }
        }
    }

    private void flushServed(Split split) {
        for (Variant variant : Variant.values()) {
            long[] served = split.drainServed(variant);
            if (served[0] > 0) {
                try {
                    store.addServed(split.id(), variant, served[0], served[1]);
                } catch (RuntimeException e) {
                    split.undrain(variant, served); // counted with the next flush
                    throw e;
                }
            }
        }
    }
}

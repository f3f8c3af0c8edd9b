package io.tastemaker.models.registry;

import io.tastemaker.models.gate.Estimate;
import io.tastemaker.models.gate.Gate;
import io.tastemaker.models.gate.Verdict;
import io.tastemaker.models.gate.VersionScore;
import io.tastemaker.models.gate.Window;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A gate a test drives (enabled by a test profile's alternatives): it judges {@link #SHOPPERS}
 * shoppers, each only when the test hands it a step ({@link #advance}), so a job can be watched
 * part-way, cancelled or interrupted; the verdict it ends with is the test's ({@link #verdictFor}).
 */
@Alternative
@ApplicationScoped
public class ScriptedGate implements Gate {

    public static final int SHOPPERS = 100;
    private static final Semaphore STEPS = new Semaphore(0);
    /** The threads judge() ran on, one per call. */
    public static final List<String> THREADS = new CopyOnWriteArrayList<>();
    private static final AtomicReference<Scripted> NEXT = new AtomicReference<>(new Scripted(false, Map.of(), null));

    /** What the next verdicts say: whether the candidate is worse, and the feed weights and floor chosen for it. */
    public record Scripted(boolean worse, Map<String, Double> candidateWeights, Double coEngagementFloor) {
    }

    public static void verdictFor(boolean worse, Map<String, Double> candidateWeights) {
        verdictFor(worse, candidateWeights, null);
    }

    public static void verdictFor(boolean worse, Map<String, Double> candidateWeights, Double coEngagementFloor) {
        NEXT.set(new Scripted(worse, candidateWeights, coEngagementFloor));
    }

    /** Lets the running judgement judge {@code shoppers} more shoppers. */
    public static void advance(int shoppers) {
        STEPS.release(shoppers);
    }

    public static void reset() {
        STEPS.drainPermits();
    }

    private final ModelRegistry registry;

    ScriptedGate(ModelRegistry registry) {
        this.registry = registry;
    }

    @Override
    public Verdict judge(String version, Progress progress) {
        THREADS.add(Thread.currentThread().getName());
        progress.at(0, SHOPPERS);
        for (int done = 1; done <= SHOPPERS; done++) {
            try {
                while (!STEPS.tryAcquire(20, TimeUnit.MILLISECONDS)) {
                    if (progress.cancelled()) {
                        throw new Cancelled();
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new Cancelled();
            }
            progress.at(done, SHOPPERS);
        }
        Scripted scripted = NEXT.get();
        double candidate = scripted.worse() ? 0.05 : 0.20;
        Instant now = Instant.now();
        return new Verdict(
                new VersionScore(version, SHOPPERS, new Estimate(candidate, candidate - 0.03, candidate + 0.03),
                        new Estimate(candidate / 2, candidate / 2 - 0.02, candidate / 2 + 0.02), scripted.candidateWeights(),
                        scripted.coEngagementFloor()),
                new VersionScore(registry.active().orElseThrow().version(), SHOPPERS, new Estimate(0.10, 0.07, 0.13), new Estimate(0.05, 0.03, 0.07),
                        Map.of("similar", 2.0, "coEngagement", 1.0), null),
                new Window(now.minusSeconds(3600), now.minusSeconds(1800), now), scripted.worse(),
                version + (scripted.worse() ? " is worse than" : " is at least as good as") + " the active version (scripted)");
    }
}

package io.tastemaker.models.registry;

import io.tastemaker.models.gate.Gate;
import io.tastemaker.models.gate.Verdict;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Keeps a promotion from making things worse: asks the {@link Gate} (the leak-free whole-blend
 * comparison on the shop's own engagement) for a verdict on the caller's thread and refuses a
 * version it finds worse than the active one.
 */
@ApplicationScoped
public class EvaluationGate {

    /** A synchronous run reports nothing and cannot be cancelled. */
    private static final Gate.Progress UNOBSERVED = new Gate.Progress() {
        @Override
        public void at(long done, long total) {
        }

        @Override
        public boolean cancelled() {
            return false;
        }
    };

    private final Gate gate;

    EvaluationGate(Gate gate) {
        this.gate = gate;
    }

    /** A built version's verdict beside the active one. */
    public Verdict evaluate(String version) {
        return gate.judge(version, UNOBSERVED);
    }

    /** @throws VersionConflict when the version scores worse than the active one */
    void admit(String version) {
        Verdict verdict = evaluate(version);
        if (verdict.worse()) {
            throw VersionConflict.worseThanActive(verdict.summary());
        }
    }
}

package io.tastemaker.streams;

import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.function.Supplier;

/**
 * The consumer loops this instance runs, whichever capability started them: the start-up code
 * names where to find them, and the broker's readiness check reads their health and lag.
 */
@ApplicationScoped
public class RunningConsumers {

    private volatile Supplier<List<ConsumerLoop>> loops = List::of;

    /** Where the running loops are listed from now on (asked afresh at every readiness check). */
    public void listedBy(Supplier<List<ConsumerLoop>> loops) {
        this.loops = loops;
    }

    public List<ConsumerLoop> all() {
        return loops.get();
    }
}

package io.tastemaker.models.experiments;

import java.util.List;
import java.util.Map;

/**
 * Where the A/B report reads each shopper's totals in an experiment: the port the attribution
 * side implements (from served lists and the events that carry their recommId back). The report
 * needs nothing else to judge an experiment: each shopper is one observation.
 */
@FunctionalInterface
public interface ShopperOutcomes {

    /**
     * Every shopper served under the experiment, with their totals, by variant. A variant nobody
     * was served under may be missing or map to an empty list. A shopper appears at most once per
     * variant (a ramp-up that moves a shopper to the treatment may give them one row in each).
     */
    Map<Variant, List<ShopperOutcome>> of(long experimentId);
}

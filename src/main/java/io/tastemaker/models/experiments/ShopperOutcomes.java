package io.tastemaker.models.experiments;

import java.util.List;

/**
 * Port: each shopper's totals in one variant of an experiment, kept by attribution
 * ({@code outcomes.ShopperOutcomeReader}) from the lists served to them and the outcomes credited
 * to those lists. Blocking: worker threads only.
 */
public interface ShopperOutcomes {

    /** One {@link ShopperOutcome} per shopper who was served at least one list, or had an outcome, in this variant. */
    List<ShopperOutcome> of(long experimentId, Variant variant);
}

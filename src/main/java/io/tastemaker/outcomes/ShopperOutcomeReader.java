package io.tastemaker.outcomes;

import io.tastemaker.models.experiments.ShopperOutcome;
import io.tastemaker.models.experiments.ShopperOutcomes;
import io.tastemaker.models.experiments.Variant;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;

/** Reads {@code experiment_shopper_outcomes}: the per-shopper totals the outcome consumer keeps. */
@ApplicationScoped
public class ShopperOutcomeReader implements ShopperOutcomes {

    private final Pool pool;

    ShopperOutcomeReader(Pool pool) {
        this.pool = pool;
    }

    @Override
    public List<ShopperOutcome> of(long experimentId, Variant variant) {
        List<ShopperOutcome> outcomes = new ArrayList<>();
        for (Row row : OutcomeStore.run(pool, "SELECT user_id, lists, impressions, clicks, carts, purchases, revenue"
                + " FROM experiment_shopper_outcomes WHERE experiment_id = $1 AND variant = $2 ORDER BY user_id",
                Tuple.of(experimentId, variant.jsonName()))) {
            outcomes.add(new ShopperOutcome(row.getString(0), row.getLong(1), row.getLong(2), row.getLong(3),
                    row.getLong(4), row.getLong(5), row.getBigDecimal(6).doubleValue()));
        }
        return outcomes;
    }
}

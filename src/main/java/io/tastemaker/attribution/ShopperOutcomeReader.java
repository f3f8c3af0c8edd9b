package io.tastemaker.attribution;

import io.tastemaker.models.experiments.ShopperOutcome;
import io.tastemaker.models.experiments.ShopperOutcomes;
import io.tastemaker.models.experiments.Variant;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** Reads {@code experiment_shopper_outcomes}: the per-shopper totals the outcome consumer keeps. */
@ApplicationScoped
public class ShopperOutcomeReader implements ShopperOutcomes {

    private final Pool pool;

    ShopperOutcomeReader(Pool pool) {
        this.pool = pool;
    }

    @Override
    public Map<Variant, List<ShopperOutcome>> of(long experimentId) {
        Map<Variant, List<ShopperOutcome>> outcomes = new EnumMap<>(Variant.class);
        for (Variant variant : Variant.values()) {
            outcomes.put(variant, new ArrayList<>());
        }
        for (Row row : OutcomeStore.run(pool, "SELECT variant, user_id, lists, impressions, clicks, carts, purchases,"
                + " revenue FROM experiment_shopper_outcomes WHERE experiment_id = $1 ORDER BY variant, user_id",
                Tuple.of(experimentId))) {
            Variant variant = variant(row.getString(0));
            if (variant != null) {
                outcomes.get(variant).add(new ShopperOutcome(row.getString(1), row.getLong(2), row.getLong(3),
                        row.getLong(4), row.getLong(5), row.getLong(6), row.getBigDecimal(7).doubleValue()));
            }
        }
        return outcomes;
    }

    /** The variant as served_lists names it; another name (none is written today) is left out. */
    private static Variant variant(String name) {
        for (Variant v : Variant.values()) {
            if (v.jsonName().equals(name)) {
                return v;
            }
        }
        return null;
    }
}

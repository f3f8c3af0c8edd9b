package io.tastemaker.evaluation;

import io.tastemaker.profiles.TasteProfile;
import io.tastemaker.vectors.VectorFilter;
import io.tastemaker.vectors.VectorHit;
import io.tastemaker.vectors.VectorIndex;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * The gate #20 replaced (models.registry.ModelEvaluation), kept for the leakage checks: per
 * shopper the latest distinct product held out, the index asked for the products most like the
 * three before it; HR@10 and NDCG@10 over the shoppers.
 */
record OldGate(int shoppers, double hitRate, double ndcg) {

    static OldGate score(VectorIndex index, List<TasteProfile> profiles) {
        double gain = 0;
        double hits = 0;
        int scored = 0;
        for (TasteProfile profile : profiles) {
            LinkedHashSet<String> distinct = new LinkedHashSet<>();
            profile.recent().forEach(r -> distinct.add(r.productId())); // most recent first
            List<String> ordered = new ArrayList<>(distinct);
            if (ordered.size() < 2) {
                continue;
            }
            scored++;
            List<VectorHit> found = index.recommend(ordered.subList(1, Math.min(ordered.size(), 4)), List.of(),
                    VectorFilter.NONE, 10);
            for (int rank = 0; rank < found.size(); rank++) {
                if (found.get(rank).id().equals(ordered.get(0))) {
                    gain += 1 / (Math.log(rank + 2) / Math.log(2));
                    hits++;
                    break;
                }
            }
        }
        return scored == 0 ? new OldGate(0, 0, 0) : new OldGate(scored, hits / scored, gain / scored);
    }
}

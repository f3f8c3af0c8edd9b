package io.tastemaker.models.registry;

import io.tastemaker.embedding.ActiveModel;
import io.tastemaker.profiles.TasteProfile;
import io.tastemaker.vectors.VectorFilter;
import io.tastemaker.vectors.VectorHit;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Scores a model version on the shop's own held-out engagement, the way "more like this" uses it:
 * for each shopper, the most recent product is hidden, the three before it are the anchors, and
 * the version's collection is asked for the products most like the anchors. HR@10 and NDCG@10
 * over the shoppers, plain Java over the serving snapshot so any two versions are compared alike.
 */
public final class ModelEvaluation {

    static final int K = 10;
    static final int ANCHORS = 3;
    /** Below this many shoppers with enough history a comparison says nothing. */
    public static final int MIN_SHOPPERS = 20;

    /** A version's score on held-out engagement. */
    public record Score(String version, int shoppers, double hitRate, double ndcg) {
    }

    private ModelEvaluation() {
    }

    public static Score score(ActiveModel.Serving version, List<TasteProfile> profiles) {
        int shoppers = 0;
        double hits = 0;
        double gain = 0;
        for (TasteProfile profile : profiles) {
            Set<String> distinct = new LinkedHashSet<>();
            profile.recent().forEach(r -> distinct.add(r.productId())); // most recent first
            if (distinct.size() < 2) {
                continue;
            }
            List<String> ordered = new ArrayList<>(distinct);
            String heldOut = ordered.get(0);
            List<String> anchors = ordered.subList(1, Math.min(ordered.size(), 1 + ANCHORS));
            if (version.index().get(List.of(heldOut)).isEmpty()) {
                continue; // the product left the catalog
            }
            shoppers++;
            List<VectorHit> found = version.index().recommend(anchors, List.of(), VectorFilter.NONE, K);
            for (int rank = 0; rank < found.size(); rank++) {
                if (found.get(rank).id().equals(heldOut)) {
                    hits++;
                    gain += 1 / (Math.log(rank + 2) / Math.log(2));
                    break;
                }
            }
        }
        return new Score(version.version(), shoppers, shoppers == 0 ? 0 : hits / shoppers, shoppers == 0 ? 0 : gain / shoppers);
    }
}

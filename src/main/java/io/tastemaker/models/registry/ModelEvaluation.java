package io.tastemaker.models.registry;

import io.tastemaker.embedding.ActiveModel;
import io.tastemaker.profiles.TasteProfile;
import io.tastemaker.vectors.VectorFilter;
import io.tastemaker.vectors.VectorHit;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

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

    /** One shopper judged: whether the hidden product was in the top 10, its gain, and when it was engaged with. */
    public record Judged(double hit, double gain, Instant heldOutAt) {
    }

    private ModelEvaluation() {
    }

    public static Score score(ActiveModel.Serving version, List<TasteProfile> profiles) {
        List<Judged> judged = judge(version, profiles, () -> false, () -> { });
        double hits = judged.stream().mapToDouble(Judged::hit).sum();
        double gain = judged.stream().mapToDouble(Judged::gain).sum();
        int n = judged.size();
        return new Score(version.version(), n, n == 0 ? 0 : hits / n, n == 0 ? 0 : gain / n);
    }

    /**
     * Each shopper with two or more distinct products whose latest is still in the catalog, judged
     * in turn; {@code afterEach} runs after every profile, {@code stop} is asked before each.
     */
    public static List<Judged> judge(ActiveModel.Serving version, List<TasteProfile> profiles, BooleanSupplier stop,
                                     Runnable afterEach) {
        List<Judged> judged = new ArrayList<>();
        for (TasteProfile profile : profiles) {
            if (stop.getAsBoolean()) {
                throw new io.tastemaker.models.gate.Gate.Cancelled();
            }
            judgeOne(version, profile).ifPresent(judged::add);
            afterEach.run();
        }
        return judged;
    }

    private static java.util.Optional<Judged> judgeOne(ActiveModel.Serving version, TasteProfile profile) {
        Map<String, Instant> distinct = new LinkedHashMap<>();
        profile.recent().forEach(r -> distinct.putIfAbsent(r.productId(), r.occurredAt())); // most recent first
        if (distinct.size() < 2) {
            return java.util.Optional.empty();
        }
        List<String> ordered = new ArrayList<>(distinct.keySet());
        String heldOut = ordered.get(0);
        List<String> anchors = ordered.subList(1, Math.min(ordered.size(), 1 + ANCHORS));
        if (version.index().get(List.of(heldOut)).isEmpty()) {
            return java.util.Optional.empty(); // the product left the catalog
        }
        List<VectorHit> found = version.index().recommend(anchors, List.of(), VectorFilter.NONE, K);
        for (int rank = 0; rank < found.size(); rank++) {
            if (found.get(rank).id().equals(heldOut)) {
                return java.util.Optional.of(new Judged(1, 1 / (Math.log(rank + 2) / Math.log(2)), distinct.get(heldOut)));
            }
        }
        return java.util.Optional.of(new Judged(0, 0, distinct.get(heldOut)));
    }
}

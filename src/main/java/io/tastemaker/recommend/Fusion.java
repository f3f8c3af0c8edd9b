package io.tastemaker.recommend;

import io.tastemaker.recommend.sources.Candidate;
import io.tastemaker.recommend.sources.Retrieved;
import io.tastemaker.recommend.sources.Source;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Blends the candidates of several sources into one ranking. Two methods:
 * <ul>
 *   <li>{@link Method#SCORE}: each source's scores are divided by that source's best score (so
 *   every source spans 0..1 whatever its scale: cosines, counts, decayed popularity), weighted
 *   and summed. Keeps how much better one candidate is than the next, which on real data ranks
 *   better than ranks alone.</li>
 *   <li>{@link Method#RRF}: weighted reciprocal rank, Σ w / (60 + rank): robust when scores are
 *   not comparable at all.</li>
 * </ul>
 * With {@link Method#SCORE} a source may be given a floor under its normaliser ({@link Weights#floors()}:
 * its scores are divided by {@code max(best, floor)}): co-engagement counts are evidence whose size matters, so a
 * shopper whose recent items have only a link or two does not see that weak evidence scaled up to
 * the weight of a strong link.
 * Every fused product keeps each source's contribution, so reasons can say which signals put it
 * there. Plain Java: the offline evaluation fuses with exactly this code.
 */
public final class Fusion {

    public enum Method { SCORE, RRF }

    /** How much one source added to a product's fused score, and why. */
    public record Contribution(Source source, double value, String because) {
    }

    /** A blended product: its fused score and the contributions, largest first. */
    public record Fused(String productId, double score, List<Contribution> contributions) {
    }

    private static final double RRF_K = 60;

    private Fusion() {
    }

    /**
     * The fused ranking, best first; ties broken by product id so it is deterministic. Under
     * {@link Method#SCORE} each source's scores are divided by at least its floor in {@code weights}.
     */
    public static List<Fused> fuse(List<Retrieved> retrieved, Weights weights, Method method) {
        Map<String, List<Contribution>> byProduct = new HashMap<>();
        for (Retrieved r : retrieved) {
            double weight = weights.of(r.source());
            if (weight <= 0 || r.candidates().isEmpty()) {
                continue;
            }
            double best = weights.floor(r.source());
            for (Candidate c : r.candidates()) {
                best = Math.max(best, c.score());
            }
            int rank = 0;
            for (Candidate c : r.candidates()) {
                rank++;
                double value = switch (method) {
                    case SCORE -> best > 0 ? weight * Math.max(0, c.score()) / best : 0;
                    case RRF -> weight / (RRF_K + rank);
                };
                if (value > 0) {
                    byProduct.computeIfAbsent(c.productId(), id -> new ArrayList<>(2))
                            .add(new Contribution(r.source(), value, c.because()));
                }
            }
        }
        List<Fused> fused = new ArrayList<>(byProduct.size());
        byProduct.forEach((id, contributions) -> {
            contributions.sort(LARGEST_FIRST);
            // most products come from one source: no stream for them (a stream's sum compensates rounding, kept for the rest)
            double score = contributions.size() == 1 ? contributions.get(0).value()
                    : contributions.stream().mapToDouble(Contribution::value).sum();
            fused.add(new Fused(id, score, List.copyOf(contributions)));
        });
        fused.sort(BEST_FIRST);
        return fused;
    }

    // written out rather than composed: a composed comparator's lambdas cost a feed several times more
    private static final Comparator<Contribution> LARGEST_FIRST = (a, b) -> Double.compare(b.value(), a.value());
    private static final Comparator<Fused> BEST_FIRST = (a, b) -> {
        int byScore = Double.compare(b.score(), a.score());
        return byScore != 0 ? byScore : a.productId().compareTo(b.productId());
    };
}

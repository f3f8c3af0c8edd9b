package io.tastemaker.recommend.sources;

import io.tastemaker.vectors.VectorIndex;
import io.tastemaker.vectors.VectorMath;
import io.tastemaker.vectors.VectorRecord;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The step after retrieval on lists that start from anchors: the "similar" list is replaced by
 * every candidate of every source scored by its cosine to each anchor, weighted by the anchor and
 * summed. The anchors' nearest-neighbour lists alone leave two gaps: a product near one anchor
 * gets no credit for looking like the others, and a product another source found (shoppers often
 * choose it next) but just beyond the nearest {@code limit} gets none at all, so ties among
 * co-engagement counts stay unbroken. Scoring the union exactly closes both, consistently.
 * Measured on Beauty (docs/models-and-quality.md), most useful with a fine-tuned model whose
 * cosines already encode co-engagement. Costs one index look-up of the candidates' vectors, which
 * the ranking then reuses ({@link Completed#records()}) instead of looking the best up again.
 */
public final class SimilarityCompletion {

    private final VectorIndex index;

    SimilarityCompletion(VectorIndex index) {
        this.index = index;
    }

    /** The lists after completion, and the candidates' records it read (none when it read none). */
    public record Completed(List<Retrieved> lists, Map<String, VectorRecord> records) {
    }

    /** {@code retrieved} with its "similar" list completed; unchanged without one or without anchor vectors. */
    Completed complete(List<Retrieved> retrieved, List<Anchor> anchors) {
        List<Anchor> withVectors = anchors.stream().filter(a -> a.vector() != null).toList();
        int at = -1;
        for (int i = 0; i < retrieved.size(); i++) {
            if (retrieved.get(i).source() == Source.SIMILAR) {
                at = i;
            }
        }
        if (at < 0 || withVectors.isEmpty()) {
            return new Completed(retrieved, Map.of());
        }
        Set<String> candidates = new LinkedHashSet<>();
        retrieved.forEach(r -> r.candidates().forEach(c -> candidates.add(c.productId())));
        // each length once (a record keeps its own), not once per pair: the cosines here were a tenth of a cold feed's CPU
        double[] anchorNorms = withVectors.stream().mapToDouble(a -> VectorMath.norm(a.vector())).toArray();
        AnchoredScores scores = new AnchoredScores();
        Map<String, VectorRecord> records = index.get(candidates);
        records.forEach((id, record) -> {
            double norm = record.norm();
            for (int a = 0; a < anchorNorms.length; a++) {
                double norms = norm * anchorNorms[a];
                double cosine = norms == 0 ? 0 : VectorMath.dot(withVectors.get(a).vector(), record.vector()) / norms;
                scores.add(id, withVectors.get(a), Math.max(0, cosine));
            }
        });
        List<Retrieved> completed = new ArrayList<>(retrieved);
        completed.set(at, scores.top(Source.SIMILAR, candidates.size(), Reasons::like));
        return new Completed(completed, records);
    }
}

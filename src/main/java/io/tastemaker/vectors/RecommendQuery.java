package io.tastemaker.vectors;

import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Qdrant's "average vector" recommendation query, for adapters that compute it themselves. */
final class RecommendQuery {

    private RecommendQuery() {
    }

    /** Every example id, positive or negative: they are looked up together and never recommended. */
    static Set<String> examples(Collection<String> positiveIds, Collection<String> negativeIds) {
        Set<String> all = new HashSet<>(positiveIds);
        all.addAll(negativeIds);
        return all;
    }

    /** {@code avg(positives)} when there are no negatives, else {@code 2·avg(positives) − avg(negatives)}. */
    static float[] averageVector(List<float[]> positives, List<float[]> negatives) {
        float[] pos = mean(positives);
        if (negatives.isEmpty()) {
            return pos;
        }
        float[] neg = mean(negatives);
        float[] query = new float[pos.length];
        for (int i = 0; i < pos.length; i++) {
            query[i] = 2 * pos[i] - neg[i];
        }
        return query;
    }

    private static float[] mean(List<float[]> vectors) {
        float[] mean = new float[vectors.get(0).length];
        for (float[] v : vectors) {
            for (int i = 0; i < mean.length; i++) {
                mean[i] += v[i] / vectors.size();
            }
        }
        return mean;
    }
}

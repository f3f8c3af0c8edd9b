package io.tastemaker.vectors;

import java.util.List;

/** Qdrant's "average vector" recommendation query, for adapters that compute it themselves. */
final class RecommendQuery {

    private RecommendQuery() {
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

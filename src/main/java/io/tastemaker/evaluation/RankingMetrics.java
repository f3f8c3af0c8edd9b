package io.tastemaker.evaluation;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Hit rate and NDCG at several cut-offs, from the rank of the one held-out item per case:
 * HR@K = share of cases whose target ranks in the top K (with one target, Recall@K);
 * NDCG@K = mean of 1 / log2(rank + 2) over those cases (rank counted from 0).
 */
public final class RankingMetrics {

    public static final List<Integer> CUT_OFFS = List.of(5, 10, 20);

    private final double[] hits = new double[CUT_OFFS.size()];
    private final double[] gains = new double[CUT_OFFS.size()];
    private long cases;

    public void add(int rank) {
        cases++;
        for (int i = 0; i < CUT_OFFS.size(); i++) {
            if (rank < CUT_OFFS.get(i)) {
                hits[i]++;
                gains[i] += 1 / (Math.log(rank + 2) / Math.log(2));
            }
        }
    }

    public synchronized void addAll(RankingMetrics other) {
        cases += other.cases;
        for (int i = 0; i < hits.length; i++) {
            hits[i] += other.hits[i];
            gains[i] += other.gains[i];
        }
    }

    public double hitRate(int k) {
        return hits[CUT_OFFS.indexOf(k)] / Math.max(1, cases);
    }

    public double ndcg(int k) {
        return gains[CUT_OFFS.indexOf(k)] / Math.max(1, cases);
    }

    public long cases() {
        return cases;
    }

    /** {HR@5, NDCG@5, HR@10, ...} in the order of the published tables. */
    public Map<String, Double> asTable() {
        Map<String, Double> table = new LinkedHashMap<>();
        for (int k : CUT_OFFS) {
            table.put("HR@" + k, hitRate(k));
            table.put("NDCG@" + k, ndcg(k));
        }
        return table;
    }
}

package io.tastemaker.models.training;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * One batch of {@link AdapterTrainer}'s training: its buffers, reused across batches, and the
 * forward pass, the gradients and the AdamW step on W. Every distinct item of the batch is
 * adapted once (a "slot"); an example's query is its anchors' adapted vectors, weighted, summed and
 * normalised; its positive is a slot.
 */
final class ContrastiveBatch {
    /** AdamW's moment decays and ε, at their usual values. */
    private static final float BETA1 = 0.9f;
    private static final float BETA2 = 0.999f;
    private static final float EPSILON = 1e-8f;

    final int d;
    final float inverseTemperature;
    final float[][] e;        // per slot: base vector
    final float[][] f;        // per slot: adapted, unit length
    final float[] length;     // per slot: |e + W e|
    final float[][] g;        // per slot: dLoss/df, then dLoss/du
    final int[] slotItem;
    final Map<Integer, Integer> slotOf = new HashMap<>();
    final List<List<int[]>> uses = new ArrayList<>(); // per slot: {example, context index or -1 = positive}
    final float[][] q;        // per example: query, unit length
    final float[] queryLength;
    final float[][] gq;       // per example: dLoss/dq, then dLoss/d(unnormalised query)
    final float[][] gp;       // per example: dLoss/d(its positive's f)
    final TrainingExample[] example;
    final int[][] contextSlots;
    final int[] positiveSlot;
    final double[] weight;
    final float[][] logits;   // [anchor][positive], then dLoss/dlogit
    final float[] positivesByDimension; // positives transposed: [c * B + j]
    final float[] positiveLogQ;  // per item row, or null: no correction
    final float[] anchorLogQ;
    final float[] rowShift;      // per positive j: −log q of its item (0 without correction)
    final float[] columnShift;   // per query i: −log q of its most recent anchor
    int size;
    int slots;

    ContrastiveBatch(int d, int capacity, int longestContext, double temperature, float[] positiveLogQ, float[] anchorLogQ) {
        this.d = d;
        this.positiveLogQ = positiveLogQ;
        this.anchorLogQ = anchorLogQ;
        rowShift = new float[capacity];
        columnShift = new float[capacity];
        this.inverseTemperature = (float) (1 / temperature);
        int maxSlots = capacity * (longestContext + 1);
        e = new float[maxSlots][];
        f = new float[maxSlots][d];
        length = new float[maxSlots];
        g = new float[maxSlots][d];
        slotItem = new int[maxSlots];
        q = new float[capacity][d];
        queryLength = new float[capacity];
        gq = new float[capacity][d];
        gp = new float[capacity][d];
        example = new TrainingExample[capacity];
        contextSlots = new int[capacity][];
        positiveSlot = new int[capacity];
        weight = new double[capacity];
        logits = new float[capacity][capacity];
        positivesByDimension = new float[d * capacity];
    }

    ContrastiveBatch load(float[][] unit, List<TrainingExample> examples, int[] order, int from, int to) {
        size = to - from;
        slots = 0;
        slotOf.clear();
        for (int i = 0; i < size; i++) {
            TrainingExample x = examples.get(order[from + i]);
            example[i] = x;
            weight[i] = x.weight();
            int[] context = new int[x.context().length];
            for (int k = 0; k < context.length; k++) {
                context[k] = slot(unit, x.context()[k]);
                uses.get(context[k]).add(new int[]{i, k});
            }
            contextSlots[i] = context;
            positiveSlot[i] = slot(unit, x.positive());
            uses.get(positiveSlot[i]).add(new int[]{i, -1});
            rowShift[i] = positiveLogQ == null ? 0f : -positiveLogQ[x.positive()];
            columnShift[i] = anchorLogQ == null ? 0f : -anchorLogQ[x.context()[0]];
        }
        return this;
    }

    private int slot(float[][] unit, int item) {
        Integer known = slotOf.get(item);
        if (known != null) {
            return known;
        }
        int s = slots++;
        slotOf.put(item, s);
        slotItem[s] = item;
        e[s] = unit[item];
        if (uses.size() <= s) {
            uses.add(new ArrayList<>());
        } else {
            uses.get(s).clear();
        }
        return s;
    }

    /** Adapts the batch's items with W, builds the queries, fills the logits; returns the weighted mean loss. */
    double forward(float[] w) {
        int n = size;
        IntStream.range(0, slots).parallel().forEach(s -> {
            float[] u = f[s];
            System.arraycopy(e[s], 0, u, 0, d);
            ResidualAdapter.addProduct(w, d, e[s], u);
            float len = (float) ResidualAdapter.length(u);
            length[s] = len;
            for (int r = 0; r < d; r++) {
                u[r] /= len;
            }
        });
        IntStream.range(0, n).parallel().forEach(i -> {
            float[] query = q[i];
            java.util.Arrays.fill(query, 0f);
            float[] weights = example[i].contextWeights();
            for (int k = 0; k < contextSlots[i].length; k++) {
                axpy(weights[k], f[contextSlots[i][k]], query, d);
            }
            float len = (float) ResidualAdapter.length(query);
            queryLength[i] = len;
            for (int r = 0; r < d; r++) {
                query[r] /= len;
            }
        });
        for (int j = 0; j < n; j++) {
            float[] p = f[positiveSlot[j]];
            for (int c = 0; c < d; c++) {
                positivesByDimension[c * n + j] = p[c];
            }
        }
        IntStream.range(0, n).parallel().forEach(i -> {
            float[] row = logits[i];
            java.util.Arrays.fill(row, 0, n, 0f);
            float[] a = q[i];
            for (int c = 0; c < d; c++) {
                float ac = a[c] * inverseTemperature;
                int offset = c * n;
                for (int j = 0; j < n; j++) {
                    row[j] += ac * positivesByDimension[offset + j];
                }
            }
        });
        // each entry's gradient: the row softmax's part and the column softmax's part
        double totalWeight = 0;
        for (int i = 0; i < n; i++) {
            totalWeight += weight[i];
        }
        double[] rowLoss = new double[n];
        double[] columnLoss = new double[n];
        float[][] rowSoftmax = new float[n][];
        IntStream.range(0, n).parallel().forEach(i -> {
            float[] row = logits[i];
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < n; j++) {
                if (rowCounts(i, j)) {
                    max = Math.max(max, row[j] + rowShift[j]);
                }
            }
            double sum = 0;
            for (int j = 0; j < n; j++) {
                if (rowCounts(i, j)) {
                    sum += Math.exp(row[j] + rowShift[j] - max);
                }
            }
            float[] softmax = new float[n];
            for (int j = 0; j < n; j++) {
                softmax[j] = rowCounts(i, j) ? (float) (Math.exp(row[j] + rowShift[j] - max) / sum) : 0f;
            }
            rowLoss[i] = max + Math.log(sum) - (row[i] + rowShift[i]);
            rowSoftmax[i] = softmax;
        });
        float[][] columnSoftmax = new float[n][];
        IntStream.range(0, n).parallel().forEach(j -> {
            double max = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < n; i++) {
                if (columnCounts(i, j)) {
                    max = Math.max(max, logits[i][j] + columnShift[i]);
                }
            }
            double sum = 0;
            for (int i = 0; i < n; i++) {
                if (columnCounts(i, j)) {
                    sum += Math.exp(logits[i][j] + columnShift[i] - max);
                }
            }
            float[] softmax = new float[n];
            for (int i = 0; i < n; i++) {
                softmax[i] = columnCounts(i, j) ? (float) (Math.exp(logits[i][j] + columnShift[i] - max) / sum) : 0f;
            }
            columnLoss[j] = max + Math.log(sum) - (logits[j][j] + columnShift[j]);
            columnSoftmax[j] = softmax;
        });
        double loss = 0;
        for (int i = 0; i < n; i++) {
            loss += weight[i] * (rowLoss[i] + columnLoss[i]);
        }
        double scale = 1 / (2 * totalWeight);
        // logits become dLoss/dlogit
        IntStream.range(0, n).parallel().forEach(i -> {
            float[] row = logits[i];
            for (int j = 0; j < n; j++) {
                double diagonal = i == j ? 1 : 0;
                row[j] = (float) (scale * (weight[i] * (rowSoftmax[i][j] - diagonal)
                        + weight[j] * (columnSoftmax[j][i] - diagonal)));
            }
        });
        return loss * scale;
    }

    /**
     * Whether positive j is a negative (or, j = i, the positive) of query i: not when it is the
     * same item as i's positive or one of i's anchors.
     */
    private boolean rowCounts(int i, int j) {
        return i == j || (positiveSlot[j] != positiveSlot[i] && !example[i].inContext(example[j].positive()));
    }

    /**
     * Whether query i is a negative (or, i = j, the query) of positive j: not when it has the
     * same anchors as j's query, or holds j's positive among its anchors.
     */
    private boolean columnCounts(int i, int j) {
        return i == j || (!java.util.Arrays.equals(contextSlots[i], contextSlots[j])
                && !example[i].inContext(example[j].positive()));
    }

    /** Back-propagates through the logits, the queries and the normalisations, then one AdamW step on W. */
    void backwardAndUpdate(float[] w, float[] m, float[] v, int step, float learningRate, float weightDecay) {
        int n = size;
        float inverseTemperature = this.inverseTemperature;
        IntStream.range(0, 2 * n).parallel().forEach(k -> {
            if (k < n) { // query k: sum over positives j of dL/dS[k][j] · f_j / τ, then through q = u / |u|
                float[] grad = gq[k];
                java.util.Arrays.fill(grad, 0f);
                float[] row = logits[k];
                for (int j = 0; j < n; j++) {
                    axpy(row[j] * inverseTemperature, f[positiveSlot[j]], grad, d);
                }
                throughNormalisation(grad, q[k], queryLength[k], d);
            } else { // positive j: sum over queries i of dL/dS[i][j] · q_i / τ
                int j = k - n;
                float[] grad = gp[j];
                java.util.Arrays.fill(grad, 0f);
                for (int i = 0; i < n; i++) {
                    axpy(logits[i][j] * inverseTemperature, q[i], grad, d);
                }
            }
        });
        // each item's dL/df gathered from its uses in a fixed order, then through f = u / |u|
        IntStream.range(0, slots).parallel().forEach(s -> {
            float[] grad = g[s];
            java.util.Arrays.fill(grad, 0f);
            for (int[] use : uses.get(s)) {
                int i = use[0];
                if (use[1] < 0) {
                    axpy(1f, gp[i], grad, d);
                } else {
                    axpy(example[i].contextWeights()[use[1]], gq[i], grad, d);
                }
            }
            throughNormalisation(grad, f[s], length[s], d);
        });
        float correction1 = (float) (1 - Math.pow(BETA1, step));
        float correction2 = (float) (1 - Math.pow(BETA2, step));
        // dL/dW[r][c] = sum over items s of du_s[r] · e_s[c]: column c of W at a time
        IntStream.range(0, d).parallel().forEach(c -> {
            float[] gradient = new float[d];
            for (int s = 0; s < slots; s++) {
                axpy(e[s][c], g[s], gradient, d);
            }
            int offset = c * d;
            for (int r = 0; r < d; r++) {
                int at = offset + r;
                float gr = gradient[r];
                m[at] = BETA1 * m[at] + (1 - BETA1) * gr;
                v[at] = BETA2 * v[at] + (1 - BETA2) * gr * gr;
                float update = (m[at] / correction1) / ((float) Math.sqrt(v[at] / correction2) + EPSILON);
                w[at] -= learningRate * (update + weightDecay * w[at]);
            }
        });
    }

    /** {@code grad} of a unit vector {@code unit = u / |u|} becomes the gradient of u: (grad − (grad·unit) unit) / |u|. */
    private static void throughNormalisation(float[] grad, float[] unit, float length, int d) {
        double along = 0;
        for (int r = 0; r < d; r++) {
            along += grad[r] * unit[r];
        }
        float a = (float) along;
        float inverseLength = 1 / length;
        for (int r = 0; r < d; r++) {
            grad[r] = (grad[r] - a * unit[r]) * inverseLength;
        }
    }

    private static void axpy(float a, float[] x, float[] y, int d) {
        if (a == 0f) {
            return;
        }
        for (int r = 0; r < d; r++) {
            y[r] += a * x[r];
        }
    }
}

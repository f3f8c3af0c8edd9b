package io.tastemaker.models;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * Trains a {@link ResidualAdapter} on engagement pairs with an in-batch-negatives contrastive
 * loss (InfoNCE): in a batch of B pairs, each anchor must pick its own positive among the B
 * positives, the others serving as negatives, at temperature τ.
 * <p>
 * The loss is <b>symmetric</b> (anchor → positives and positive → anchors, averaged): the same
 * adapter embeds both sides, the service searches in both directions ("more like this" of either
 * item), and co-engagement is a relation between two items, not an order; the second direction
 * costs one more softmax over the logits already computed. In-batch entries that are the same
 * item as the pair's own positive (or as the anchor itself) are masked instead of counted as
 * negatives: with popular items they are frequent, and pushing an item away from itself teaches
 * nothing.
 * <p>
 * Only W is learnt; the base vectors are given once (precomputed by the base model). AdamW
 * (decoupled weight decay, which pulls W towards 0 = the identity) on float arrays, with the
 * batch's matrix products spread over the cores. Every parallel loop writes disjoint outputs,
 * each summed in a fixed order, and the shuffling is seeded: the same seed gives the same W,
 * bit for bit.
 */
public final class AdapterTrainer {

    /**
     * @param temperature  τ of the softmax over cosine similarities
     * @param learningRate AdamW step size
     * @param epochs       passes over the pairs
     * @param batchSize    pairs per batch (and so 2·(B−1) negatives per pair)
     * @param weightDecay  decoupled decay of W towards 0 per step (times the learning rate)
     * @param seed         shuffling seed
     */
    public record Settings(double temperature, double learningRate, int epochs, int batchSize, double weightDecay,
                           long seed) {
        public Settings {
            if (!(temperature > 0) || !(learningRate > 0) || epochs < 0 || batchSize < 2 || weightDecay < 0) {
                throw new IllegalArgumentException("temperature, learning rate > 0; epochs >= 0; batch >= 2; decay >= 0");
            }
        }

        /** As recorded in the adapter file. */
        public Map<String, String> describe() {
            Map<String, String> d = new LinkedHashMap<>();
            d.put("loss", "symmetric in-batch InfoNCE");
            d.put("optimizer", "AdamW");
            d.put("temperature", Double.toString(temperature));
            d.put("learningRate", Double.toString(learningRate));
            d.put("epochs", Integer.toString(epochs));
            d.put("batchSize", Integer.toString(batchSize));
            d.put("weightDecay", Double.toString(weightDecay));
            d.put("seed", Long.toString(seed));
            return d;
        }
    }

    /** Called after every epoch with the adapter as trained so far (a copy: keeping it is safe). */
    @FunctionalInterface
    public interface EpochEnd {
        void adapter(int epoch, ResidualAdapter adapter);

        EpochEnd NONE = (epoch, adapter) -> {
        };
    }

    /** Called after every batch with the batch's mean loss (epochs and batches counted from 1). */
    @FunctionalInterface
    public interface Progress {
        void batch(int epoch, int batch, int batches, double loss);

        Progress NONE = (epoch, batch, batches, loss) -> {
        };
    }

    private static final float BETA1 = 0.9f;
    private static final float BETA2 = 0.999f;
    private static final float EPSILON = 1e-8f;

    private final Settings settings;

    public AdapterTrainer(Settings settings) {
        this.settings = settings;
    }

    /**
     * @param vectors the base model's vector of every item row a pair names (other rows may be null);
     *                used at unit length
     */
    public ResidualAdapter train(String baseModel, float[][] vectors, List<TrainingPair> pairs, Progress progress) {
        return train(baseModel, vectors, pairs, progress, EpochEnd.NONE);
    }

    /** As {@link #train(String, float[][], List, Progress)}, showing each epoch's adapter (to pick an epoch count). */
    public ResidualAdapter train(String baseModel, float[][] vectors, List<TrainingPair> pairs, Progress progress,
                                 EpochEnd epochEnd) {
        float[][] unit = unitRows(vectors, pairs);
        int d = dimension(unit);
        Batch batch = new Batch(d, settings.batchSize(), settings.temperature());
        float[] w = new float[d * d];
        float[] m = new float[d * d];
        float[] v = new float[d * d];
        int[] order = IntStream.range(0, pairs.size()).toArray();
        Random random = new Random(settings.seed());
        int batches = pairs.size() / settings.batchSize() + (pairs.size() % settings.batchSize() >= 2 ? 1 : 0);
        int step = 0;
        for (int epoch = 1; epoch <= settings.epochs(); epoch++) {
            shuffle(order, random);
            for (int b = 0; b < batches; b++) {
                int from = b * settings.batchSize();
                int to = Math.min(pairs.size(), from + settings.batchSize());
                double loss = batch.load(unit, pairs, order, from, to).forward(w);
                step++;
                batch.backwardAndUpdate(w, m, v, step, (float) settings.learningRate(), (float) settings.weightDecay());
                progress.batch(epoch, b + 1, batches, loss);
            }
            if (epoch < settings.epochs()) {
                Map<String, String> described = settings.describe();
                described.put("epochs", Integer.toString(epoch));
                epochEnd.adapter(epoch, new ResidualAdapter(baseModel, d, w.clone(), described));
            }
        }
        ResidualAdapter trained = new ResidualAdapter(baseModel, d, w, settings.describe());
        if (settings.epochs() > 0) {
            epochEnd.adapter(settings.epochs(), trained);
        }
        return trained;
    }

    private static float[][] unitRows(float[][] vectors, List<TrainingPair> pairs) {
        float[][] unit = new float[vectors.length][];
        for (TrainingPair p : pairs) {
            for (int row : new int[]{p.anchor(), p.positive()}) {
                if (row >= vectors.length || vectors[row] == null) {
                    throw new IllegalArgumentException("no base vector for item row " + row);
                }
                if (unit[row] == null) {
                    float[] u = vectors[row].clone();
                    double length = ResidualAdapter.length(u);
                    for (int i = 0; i < u.length && length > 0; i++) {
                        u[i] /= (float) length;
                    }
                    unit[row] = u;
                }
            }
        }
        return unit;
    }

    private static int dimension(float[][] unit) {
        for (float[] u : unit) {
            if (u != null) {
                return u.length;
            }
        }
        throw new IllegalArgumentException("no training pairs");
    }

    private static void shuffle(int[] order, Random random) {
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
    }

    /**
     * One batch's buffers, reused across batches. Rows 0..B-1 of the inputs are the anchors,
     * B..2B-1 the positives.
     */
    private static final class Batch {
        final int d;
        final float inverseTemperature;
        final float[][] e;        // base vectors
        final float[][] f;        // adapted, unit length
        final float[] length;     // |e + W e|
        final float[][] g;        // dLoss/df, then dLoss/du
        final int[] item;
        final double[] weight;
        final float[][] logits;   // [anchor][positive], then dLoss/dlogit
        final float[] positivesByDimension; // positives transposed: [c * B + j]
        int size;

        Batch(int d, int capacity, double temperature) {
            this.d = d;
            this.inverseTemperature = (float) (1 / temperature);
            e = new float[2 * capacity][];
            f = new float[2 * capacity][d];
            length = new float[2 * capacity];
            g = new float[2 * capacity][d];
            item = new int[2 * capacity];
            weight = new double[capacity];
            logits = new float[capacity][capacity];
            positivesByDimension = new float[d * capacity];
        }

        Batch load(float[][] unit, List<TrainingPair> pairs, int[] order, int from, int to) {
            size = to - from;
            for (int i = 0; i < size; i++) {
                TrainingPair p = pairs.get(order[from + i]);
                item[i] = p.anchor();
                item[size + i] = p.positive();
                e[i] = unit[p.anchor()];
                e[size + i] = unit[p.positive()];
                weight[i] = p.weight();
            }
            return this;
        }

        /** Adapts the batch's vectors with W, fills the logits; returns the weighted mean loss. */
        double forward(float[] w) {
            int n = size;
            IntStream.range(0, 2 * n).parallel().forEach(k -> {
                float[] u = f[k];
                System.arraycopy(e[k], 0, u, 0, d);
                ResidualAdapter.addProduct(w, d, e[k], u);
                float len = (float) ResidualAdapter.length(u);
                length[k] = len;
                for (int r = 0; r < d; r++) {
                    u[r] /= len;
                }
            });
            for (int j = 0; j < n; j++) {
                float[] p = f[n + j];
                for (int c = 0; c < d; c++) {
                    positivesByDimension[c * n + j] = p[c];
                }
            }
            IntStream.range(0, n).parallel().forEach(i -> {
                float[] row = logits[i];
                java.util.Arrays.fill(row, 0, n, 0f);
                float[] a = f[i];
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
                        max = Math.max(max, row[j]);
                    }
                }
                double sum = 0;
                for (int j = 0; j < n; j++) {
                    if (rowCounts(i, j)) {
                        sum += Math.exp(row[j] - max);
                    }
                }
                float[] softmax = new float[n];
                for (int j = 0; j < n; j++) {
                    softmax[j] = rowCounts(i, j) ? (float) (Math.exp(row[j] - max) / sum) : 0f;
                }
                rowLoss[i] = max + Math.log(sum) - row[i];
                rowSoftmax[i] = softmax;
            });
            float[][] columnSoftmax = new float[n][];
            IntStream.range(0, n).parallel().forEach(j -> {
                double max = Double.NEGATIVE_INFINITY;
                for (int i = 0; i < n; i++) {
                    if (columnCounts(i, j)) {
                        max = Math.max(max, logits[i][j]);
                    }
                }
                double sum = 0;
                for (int i = 0; i < n; i++) {
                    if (columnCounts(i, j)) {
                        sum += Math.exp(logits[i][j] - max);
                    }
                }
                float[] softmax = new float[n];
                for (int i = 0; i < n; i++) {
                    softmax[i] = columnCounts(i, j) ? (float) (Math.exp(logits[i][j] - max) / sum) : 0f;
                }
                columnLoss[j] = max + Math.log(sum) - logits[j][j];
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

        /** Whether positive j is a negative (or, j = i, the positive) of anchor i. */
        private boolean rowCounts(int i, int j) {
            return i == j || (item[size + j] != item[size + i] && item[size + j] != item[i]);
        }

        /** Whether anchor i is a negative (or, i = j, the anchor) of positive j. */
        private boolean columnCounts(int i, int j) {
            return i == j || (item[i] != item[j] && item[i] != item[size + j]);
        }

        /** Back-propagates through the logits and the normalisation, then one AdamW step on W. */
        void backwardAndUpdate(float[] w, float[] m, float[] v, int step, float learningRate, float weightDecay) {
            int n = size;
            float inverseTemperature = this.inverseTemperature;
            IntStream.range(0, 2 * n).parallel().forEach(k -> {
                float[] grad = g[k];
                java.util.Arrays.fill(grad, 0f);
                if (k < n) { // anchor k: sum over positives j of dL/dS[k][j] · f_j / τ
                    float[] row = logits[k];
                    for (int j = 0; j < n; j++) {
                        axpy(row[j] * inverseTemperature, f[n + j], grad, d);
                    }
                } else { // positive j: sum over anchors i of dL/dS[i][j] · f_i / τ
                    int j = k - n;
                    for (int i = 0; i < n; i++) {
                        axpy(logits[i][j] * inverseTemperature, f[i], grad, d);
                    }
                }
                // through f = u / |u|: du = (df - (df·f) f) / |u|
                float[] unit = f[k];
                double along = 0;
                for (int r = 0; r < d; r++) {
                    along += grad[r] * unit[r];
                }
                float a = (float) along;
                float inverseLength = 1 / length[k];
                for (int r = 0; r < d; r++) {
                    grad[r] = (grad[r] - a * unit[r]) * inverseLength;
                }
            });
            float correction1 = (float) (1 - Math.pow(BETA1, step));
            float correction2 = (float) (1 - Math.pow(BETA2, step));
            // dL/dW[r][c] = sum over inputs k of du_k[r] · e_k[c]: column c of W at a time
            IntStream.range(0, d).parallel().forEach(c -> {
                float[] gradient = new float[d];
                for (int k = 0; k < 2 * n; k++) {
                    axpy(e[k][c], g[k], gradient, d);
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

        private static void axpy(float a, float[] x, float[] y, int d) {
            if (a == 0f) {
                return;
            }
            for (int r = 0; r < d; r++) {
                y[r] += a * x[r];
            }
        }
    }
}

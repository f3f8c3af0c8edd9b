package io.tastemaker.models.training;

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
     * @param cosine       whether the step size falls from {@code learningRate} to 0 along a half cosine over
     *                     all the steps of all the epochs (then an epoch's adapter depends on the epoch count)
     * @param logQ         how strongly each in-batch logit is corrected by the log of how often its item is
     *                     drawn (sampling-bias correction; 0 = none, 1 = the unbiased estimate of the full
     *                     softmax): popular items are the batch's negatives far more often than a full ranking
     *                     meets them, and would otherwise be pushed away from everything
     */
    public record Settings(double temperature, double learningRate, int epochs, int batchSize, double weightDecay,
                           long seed, boolean cosine, double logQ) {
        public Settings {
            if (!(temperature > 0) || !(learningRate > 0) || epochs < 0 || batchSize < 2 || weightDecay < 0
                    || !(logQ >= 0)) {
                throw new IllegalArgumentException("temperature, learning rate > 0; epochs >= 0; batch >= 2; decay, logQ >= 0");
            }
        }

        /** A constant step size. */
        public Settings(double temperature, double learningRate, int epochs, int batchSize, double weightDecay,
                        long seed) {
            this(temperature, learningRate, epochs, batchSize, weightDecay, seed, false, 0);
        }

        /** The same settings with another batch size. */
        public Settings withBatchSize(int batchSize) {
            return new Settings(temperature, learningRate, epochs, batchSize, weightDecay, seed, cosine, logQ);
        }

        /** The step size of step {@code step} (from 1) of {@code steps}. */
        double learningRate(int step, int steps) {
            return cosine ? learningRate * 0.5 * (1 + Math.cos(Math.PI * (step - 1) / steps)) : learningRate;
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
            d.put("schedule", cosine ? "cosine" : "constant");
            d.put("logQCorrection", Double.toString(logQ));
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
        return trainOnExamples(baseModel, vectors, pairs.stream().map(TrainingExample::of).toList(), progress,
                epochEnd);
    }

    /**
     * Trains on examples whose anchor is a weighted set of recent items: the anchors' adapted
     * vectors, weighted and summed, are the query (a pair is the example of one anchor).
     */
    public ResidualAdapter trainOnExamples(String baseModel, float[][] vectors, List<TrainingExample> examples,
                                           Progress progress, EpochEnd epochEnd) {
        float[][] unit = unitRows(vectors, examples);
        int d = dimension(unit);
        int longest = examples.stream().mapToInt(x -> x.context().length).max().orElse(1);
        ContrastiveBatch batch = new ContrastiveBatch(d, settings.batchSize(), longest, settings.temperature(),
                settings.logQ() > 0 ? logFrequencies(unit.length, examples, false, settings.logQ()) : null,
                settings.logQ() > 0 ? logFrequencies(unit.length, examples, true, settings.logQ()) : null);
        float[] w = new float[d * d];
        float[] m = new float[d * d];
        float[] v = new float[d * d];
        int[] order = IntStream.range(0, examples.size()).toArray();
        Random random = new Random(settings.seed());
        int batches = examples.size() / settings.batchSize() + (examples.size() % settings.batchSize() >= 2 ? 1 : 0);
        int step = 0;
        for (int epoch = 1; epoch <= settings.epochs(); epoch++) {
            shuffle(order, random);
            for (int b = 0; b < batches; b++) {
                int from = b * settings.batchSize();
                int to = Math.min(examples.size(), from + settings.batchSize());
                double loss = batch.load(unit, examples, order, from, to).forward(w);
                step++;
                batch.backwardAndUpdate(w, m, v, step, (float) settings.learningRate(step, batches * settings.epochs()),
                        (float) settings.weightDecay());
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

    private static float[][] unitRows(float[][] vectors, List<TrainingExample> examples) {
        float[][] unit = new float[vectors.length][];
        for (TrainingExample x : examples) {
            for (int k = -1; k < x.context().length; k++) {
                int row = k < 0 ? x.positive() : x.context()[k];
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

    /** {@code strength} × log of each item's share of the examples' positives (or of their most recent anchors). */
    private static float[] logFrequencies(int rows, List<TrainingExample> examples, boolean anchors, double strength) {
        double[] counts = new double[rows];
        for (TrainingExample x : examples) {
            counts[anchors ? x.context()[0] : x.positive()]++;
        }
        float[] log = new float[rows];
        for (int row = 0; row < rows; row++) {
            log[row] = counts[row] == 0 ? 0f : (float) (strength * Math.log(counts[row] / examples.size()));
        }
        return log;
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
}

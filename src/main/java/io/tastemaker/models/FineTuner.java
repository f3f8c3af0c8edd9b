package io.tastemaker.models;

import io.tastemaker.embedding.ActiveModel;
import io.tastemaker.engagement.EngagementStore;
import io.tastemaker.profiles.TasteProfile;
import io.tastemaker.vectors.VectorRecord;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * Built-in fine-tuning: trains a {@link ResidualAdapter} over a registered version on the shop's
 * own engagement, in the background, with progress, with the recipe {@code evaluate --fine-tune}
 * measured: every shopper's recent items (their taste profile's, oldest first) become
 * co-engagement pairs exactly as the evaluation builds them ({@link CoEngagementPairs#build},
 * window {@link FineTuneRequest#PAIR_WINDOW}, decay {@link FineTuneRequest#PAIR_DECAY}, one pair
 * per co-occurrence), trained with the request's settings (logQ-corrected by default). The base
 * vectors come from the base version's collection, so nothing is embedded again; the artifact is
 * written under the data directory and handed to {@code onTrained} to be registered.
 * <p>
 * A profile keeps a shopper's {@link io.tastemaker.profiles.TasteProfile#MAX_RECENT} most recent
 * items, so a long history contributes its latest part only; the stored co-engagement links are
 * not used: the Beauty validation search measured learning from them below learning from the
 * sequences (README, Fine-tuning).
 */
public final class FineTuner implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(FineTuner.class);
    /** Shoppers read at most (the most recently active first). */
    static final int MAX_SHOPPERS = 200_000;
    /** Fewer pairs than this teach the adapter nothing but noise. */
    static final int MIN_PAIRS = 16;

    /** What a client sees of a fine-tuning job. */
    public record Job(String version, String base, String state, int epoch, int epochs, int batch, int batches,
                      Double loss, long pairs, String adapterPath, String error, Instant startedAt, Instant finishedAt) {

        Job with(String state, String error) {
            return new Job(version, base, state, epoch, epochs, batch, batches, loss, pairs, adapterPath, error, startedAt,
                    "training".equals(state) ? null : Instant.now());
        }
    }

    private final EngagementStore engagement;
    private final Path directory;
    private final Map<String, Job> jobs = new ConcurrentHashMap<>();
    private final ExecutorService worker = Executors.newSingleThreadExecutor(task -> {
        Thread t = new Thread(task, "model-fine-tune");
        t.setDaemon(true);
        return t;
    });

    FineTuner(EngagementStore engagement, Path directory) {
        this.engagement = engagement;
        this.directory = directory;
    }

    Job start(String version, ActiveModel.Serving base, AdapterTrainer.Settings settings, double minWeight,
              Consumer<Job> onTrained) {
        Path file = directory.resolve(version + ".adapter");
        Job job = new Job(version, base.version(), "training", 0, settings.epochs(), 0, 0, null, 0, file.toString(), null,
                Instant.now(), null);
        if (jobs.putIfAbsent(version, job) != null && "training".equals(jobs.get(version).state())) {
            throw new IllegalStateException("a fine-tuning job for '" + version + "' is running");
        }
        jobs.put(version, job);
        worker.submit(() -> run(job, base, settings, minWeight, file, onTrained));
        return job;
    }

    Job job(String version) {
        return jobs.get(version);
    }

    private void run(Job job, ActiveModel.Serving base, AdapterTrainer.Settings settings, double minWeight, Path file,
                     Consumer<Job> onTrained) {
        String version = job.version();
        try {
            // every product a shopper engaged with becomes a row of the base-vector table, looked up once
            Map<String, Integer> rows = new LinkedHashMap<>();
            List<int[]> sequences = sequences(engagement.recentProfiles(MAX_SHOPPERS), rows);
            float[][] vectors = new float[rows.size()][];
            List<String> ids = new ArrayList<>(rows.keySet());
            for (int from = 0; from < ids.size(); from += 1000) {
                Map<String, VectorRecord> found = base.index().get(ids.subList(from, Math.min(ids.size(), from + 1000)));
                found.forEach((id, r) -> vectors[rows.get(id)] = r.vector());
            }
            List<TrainingPair> pairs = new ArrayList<>();
            for (TrainingPair pair : CoEngagementPairs.build(sequences, 0, FineTuneRequest.PAIR_WINDOW,
                    FineTuneRequest.PAIR_DECAY)) {
                // a product deleted since has no vector; pairs weighted below minWeight are left out
                if (vectors[pair.anchor()] != null && vectors[pair.positive()] != null && pair.weight() >= minWeight) {
                    pairs.add(pair);
                }
            }
            if (pairs.size() < MIN_PAIRS) {
                throw new IllegalStateException("only " + pairs.size() + " training pairs with weight >= " + minWeight
                        + " (at least " + MIN_PAIRS + " are needed): too little engagement to fine-tune on");
            }
            if (pairs.size() < settings.batchSize()) { // a small shop: one batch holds every pair
                settings = settings.withBatchSize(pairs.size());
            }
            LOG.infof("Fine-tuning %s over %s on %d pairs (%s)", version, base.version(), pairs.size(), settings);
            jobs.computeIfPresent(version, (v, j) -> new Job(v, j.base(), j.state(), 0, j.epochs(), 0, 0, null,
                    pairs.size(), j.adapterPath(), null, j.startedAt(), null));
            AdapterTrainer.Settings used = settings;
            ResidualAdapter adapter = new AdapterTrainer(used).train(base.version(), vectors, pairs,
                    (epoch, batch, batches, loss) -> jobs.computeIfPresent(version, (v, j) -> new Job(v, j.base(),
                            j.state(), epoch, j.epochs(), batch, batches, loss, j.pairs(), j.adapterPath(), null,
                            j.startedAt(), null)));
            Map<String, String> described = new HashMap<>(adapter.hyperParameters());
            described.put("pairs", Integer.toString(pairs.size()));
            described.put("pairWindow", Integer.toString(FineTuneRequest.PAIR_WINDOW));
            described.put("pairDecay", Double.toString(FineTuneRequest.PAIR_DECAY));
            described.put("pairsFrom", "co-engagement in the shoppers' recent items (" + sequences.size() + " shoppers)");
            described.put("minPairWeight", Double.toString(minWeight));
            Files.createDirectories(directory);
            adapter.describedBy(described).save(file);
            Job trained = jobs.computeIfPresent(version, (v, j) -> j.with("trained", null));
            LOG.infof("Fine-tuned %s written to %s", version, file);
            onTrained.accept(trained);
            jobs.computeIfPresent(version, (v, j) -> j.with("registered", null));
        } catch (IOException | RuntimeException e) {
            LOG.errorf(e, "Fine-tuning %s failed", version);
            jobs.computeIfPresent(version, (v, j) -> j.with("failed", e.toString()));
        }
    }

    /**
     * Each shopper's recent products, oldest first (as the evaluation's sequences are), as rows of
     * the base-vector table: a product not yet in {@code rows} gets the next row.
     */
    static List<int[]> sequences(List<TasteProfile> shoppers, Map<String, Integer> rows) {
        List<int[]> sequences = new ArrayList<>(shoppers.size());
        for (TasteProfile shopper : shoppers) {
            List<TasteProfile.Recent> recent = shopper.recent(); // newest first
            int[] sequence = new int[recent.size()];
            for (int i = 0; i < sequence.length; i++) {
                sequence[i] = rows.computeIfAbsent(recent.get(recent.size() - 1 - i).productId(), k -> rows.size());
            }
            sequences.add(sequence);
        }
        return sequences;
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}

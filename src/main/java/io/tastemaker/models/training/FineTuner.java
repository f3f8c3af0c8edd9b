package io.tastemaker.models.training;

import io.tastemaker.embedding.ActiveModel;
import io.tastemaker.profiles.ProfileStore;
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
 * written under the data directory and handed to {@code onTrained} to be registered (which keeps
 * its weights in the registry for every instance). Jobs and their progress are kept in PostgreSQL
 * ({@link FineTuneJobStore}): readable on every instance; a job interrupted by a restart reads failed.
 * <p>
 * A profile keeps a shopper's {@link io.tastemaker.profiles.TasteProfile#MAX_RECENT} most recent
 * items, so a long history contributes its latest part only; the stored co-engagement links are
 * not used: the Beauty validation search measured learning from them below learning from the
 * sequences (docs/models-and-quality.md, Fine-tuning).
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

    /** Progress is written at most this often (and at every epoch's end). */
    private static final long PROGRESS_EVERY_NANOS = 1_000_000_000L;

    private final ProfileStore profiles;
    private final FineTuneJobStore jobs;
    private final Path directory;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(task -> {
        Thread t = new Thread(task, "model-fine-tune");
        t.setDaemon(true);
        return t;
    });

    FineTuner(ProfileStore profiles, FineTuneJobStore jobs, Path directory) {
        this.profiles = profiles;
        this.jobs = jobs;
        this.directory = directory;
    }

    Job start(String version, ActiveModel.Serving base, AdapterTrainer.Settings settings, double minWeight,
              Consumer<Job> onTrained) {
        Path file = directory.resolve(version + ".adapter");
        Job job = new Job(version, base.version(), "training", 0, settings.epochs(), 0, 0, null, 0, file.toString(), null,
                Instant.now(), null);
        if (!jobs.start(job)) {
            throw new FineTuneRunning(version);
        }
        worker.submit(() -> run(job, base, settings, minWeight, file, onTrained));
        return job;
    }

    Job job(String version) {
        return jobs.find(version).orElse(null);
    }

    List<Job> recentJobs(int limit) {
        return jobs.recent(limit);
    }

    private void run(Job job, ActiveModel.Serving base, AdapterTrainer.Settings settings, double minWeight, Path file,
                     Consumer<Job> onTrained) {
        String version = job.version();
        try {
            // every product a shopper engaged with becomes a row of the base-vector table, looked up once
            Map<String, Integer> rows = new LinkedHashMap<>();
            List<int[]> sequences = sequences(profiles.recentProfiles(MAX_SHOPPERS), rows);
            jobs.update(job); // alive after reading the shoppers
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
            Job counted = new Job(version, job.base(), job.state(), 0, job.epochs(), 0, 0, null, pairs.size(),
                    job.adapterPath(), null, job.startedAt(), null);
            jobs.update(counted);
            AdapterTrainer.Settings used = settings;
            long[] lastWrite = {System.nanoTime()};
            Job[] latest = {counted};
            ResidualAdapter adapter = new AdapterTrainer(used).train(base.version(), vectors, pairs,
                    (epoch, batch, batches, loss) -> {
                        latest[0] = new Job(version, job.base(), job.state(), epoch, job.epochs(), batch, batches, loss,
                                pairs.size(), job.adapterPath(), null, job.startedAt(), null);
                        if (batch == batches || System.nanoTime() - lastWrite[0] > PROGRESS_EVERY_NANOS) {
                            jobs.update(latest[0]);
                            lastWrite[0] = System.nanoTime();
                        }
                    });
            Map<String, String> described = new HashMap<>(adapter.hyperParameters());
            described.put("pairs", Integer.toString(pairs.size()));
            described.put("pairWindow", Integer.toString(FineTuneRequest.PAIR_WINDOW));
            described.put("pairDecay", Double.toString(FineTuneRequest.PAIR_DECAY));
            described.put("pairsFrom", "co-engagement in the shoppers' recent items (" + sequences.size() + " shoppers)");
            described.put("minPairWeight", Double.toString(minWeight));
            Files.createDirectories(directory);
            adapter.describedBy(described).save(file);
            Job trained = latest[0].with("trained", null);
            jobs.update(trained);
            LOG.infof("Fine-tuned %s written to %s", version, file);
            onTrained.accept(trained);
            jobs.update(trained.with("registered", null));
        } catch (IOException | RuntimeException e) {
            LOG.errorf(e, "Fine-tuning %s failed", version);
            Job known = jobs.find(version).orElse(job);
            jobs.update(known.with("failed", e.toString()));
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

package io.tastemaker.models.training;

import io.tastemaker.embedding.ActiveModel;
import io.tastemaker.models.gate.TimeSplit;
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
 * measured: every shopper's recent items (their taste profile's, oldest first) engaged with
 * <b>before the training cut-off</b> ({@link BeforeCutoff}: the request's, or by default the
 * {@link TimeSplit} rule the evaluation gate cuts with, so the gate scores what the adapter never
 * saw) become co-engagement pairs exactly as the evaluation builds them ({@link CoEngagementPairs#build},
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
    /** The hyper-parameter an adapter's file records its training cut-off under (an ISO instant). */
    public static final String TRAINED_UNTIL = "trainedUntil";
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
    private final TimeSplit split;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(task -> {
        Thread t = new Thread(task, "model-fine-tune");
        t.setDaemon(true);
        return t;
    });

    FineTuner(ProfileStore profiles, FineTuneJobStore jobs, Path directory, TimeSplit split) {
        this.profiles = profiles;
        this.jobs = jobs;
        this.directory = directory;
        this.split = split;
    }

    /** @param cutOff learn only from engagement before this; null: the {@link TimeSplit} rule's cut-off */
    Job start(String version, ActiveModel.Serving base, AdapterTrainer.Settings settings, double minWeight,
              Instant cutOff, Consumer<Job> onTrained) {
        Path file = directory.resolve(version + ".adapter");
        Job job = new Job(version, base.version(), "training", 0, settings.epochs(), 0, 0, null, 0, file.toString(), null,
                Instant.now(), null);
        if (!jobs.start(job)) {
            throw new FineTuneRunning(version);
        }
        worker.submit(() -> run(job, base, settings, minWeight, cutOff, file, onTrained));
        return job;
    }

    Job job(String version) {
        return jobs.find(version).orElse(null);
    }

    List<Job> recentJobs(int limit) {
        return jobs.recent(limit);
    }

    private void run(Job job, ActiveModel.Serving base, AdapterTrainer.Settings settings, double minWeight,
                     Instant requestedCutOff, Path file, Consumer<Job> onTrained) {
        String version = job.version();
        try {
            List<TasteProfile> shoppers = profiles.recentProfiles(MAX_SHOPPERS);
            Instant cutOff = requestedCutOff != null ? requestedCutOff : split.cutOff(engagementTimes(shoppers));
            if (cutOff == null) {
                throw new IllegalStateException("no engagement to fine-tune on");
            }
            // every product a shopper engaged with before the cut-off becomes a row of the base-vector table, looked up once
            Map<String, Integer> rows = new LinkedHashMap<>();
            BeforeCutoff before = BeforeCutoff.of(shoppers, cutOff, rows);
            jobs.update(job); // alive after reading the shoppers
            float[][] vectors = new float[rows.size()][];
            List<String> ids = new ArrayList<>(rows.keySet());
            for (int from = 0; from < ids.size(); from += 1000) {
                Map<String, VectorRecord> found = base.index().get(ids.subList(from, Math.min(ids.size(), from + 1000)));
                found.forEach((id, r) -> vectors[rows.get(id)] = r.vector());
            }
            List<TrainingPair> pairs = trainingPairs(before, vectors, minWeight);
            if (pairs.size() < MIN_PAIRS) {
                throw new IllegalStateException("only " + pairs.size() + " training pairs with weight >= " + minWeight
                        + " before " + cutOff + " (at least " + MIN_PAIRS + " are needed): too little engagement to fine-tune on");
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
            described.put("pairsFrom", "co-engagement in the shoppers' recent items before " + cutOff + " ("
                    + before.shoppers() + " shoppers)");
            described.put(TRAINED_UNTIL, cutOff.toString());
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
     * What the trainer is given: the co-engagement pairs of the engagement before the cut-off (the
     * only way in is a {@link BeforeCutoff}), without pairs of products deleted since (no vector)
     * or weighted below {@code minWeight}.
     */
    static List<TrainingPair> trainingPairs(BeforeCutoff before, float[][] vectors, double minWeight) {
        List<TrainingPair> pairs = new ArrayList<>();
        for (TrainingPair pair : before.pairs(FineTuneRequest.PAIR_WINDOW, FineTuneRequest.PAIR_DECAY)) {
            if (vectors[pair.anchor()] != null && vectors[pair.positive()] != null && pair.weight() >= minWeight) {
                pairs.add(pair);
            }
        }
        return pairs;
    }

    /** Every engagement time in the shoppers' recent items. */
    static List<Instant> engagementTimes(List<TasteProfile> shoppers) {
        List<Instant> times = new ArrayList<>();
        shoppers.forEach(s -> s.recent().forEach(r -> {
            if (r.occurredAt() != null) {
                times.add(r.occurredAt());
            }
        }));
        return times;
    }

    /**
     * The instant before which an adapter's training engagement lies, as its file records it
     * ({@link #TRAINED_UNTIL}); null for an adapter trained elsewhere or before the cut-off was recorded.
     */
    public static Instant trainedUntil(ResidualAdapter adapter) {
        String until = adapter.hyperParameters().get(TRAINED_UNTIL);
        try {
            return until == null ? null : Instant.parse(until);
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}

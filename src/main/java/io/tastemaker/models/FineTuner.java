package io.tastemaker.models;

import io.tastemaker.embedding.ActiveModel;
import io.tastemaker.engagement.EngagementStore;
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
 * own co-engagement links (the training-pair export's pairs), in the background, with progress.
 * The base vectors come from the base version's collection, so nothing is embedded again; the
 * artifact is written under the data directory and handed to {@code onTrained} to be registered.
 */
public final class FineTuner implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(FineTuner.class);
    /** Links read at most: beyond this the strongest-first order of the walk is not guaranteed useful. */
    static final int MAX_LINKS = 2_000_000;
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
            // every link's two products become rows of the base-vector table, each looked up once
            Map<String, Integer> rows = new LinkedHashMap<>();
            List<EngagementStore.Link> links = new ArrayList<>();
            String afterFrom = null;
            String afterTo = null;
            for (List<EngagementStore.Link> page = engagement.linksAfter(null, null, minWeight, 5000);
                 !page.isEmpty() && links.size() < MAX_LINKS;
                 page = engagement.linksAfter(afterFrom, afterTo, minWeight, 5000)) {
                links.addAll(page);
                afterFrom = page.get(page.size() - 1).from();
                afterTo = page.get(page.size() - 1).to();
            }
            links.forEach(l -> {
                rows.putIfAbsent(l.from(), rows.size());
                rows.putIfAbsent(l.to(), rows.size());
            });
            float[][] vectors = new float[rows.size()][];
            List<String> ids = new ArrayList<>(rows.keySet());
            for (int from = 0; from < ids.size(); from += 1000) {
                Map<String, VectorRecord> found = base.index().get(ids.subList(from, Math.min(ids.size(), from + 1000)));
                found.forEach((id, r) -> vectors[rows.get(id)] = r.vector());
            }
            List<TrainingPair> pairs = new ArrayList<>(links.size());
            for (EngagementStore.Link l : links) {
                int a = rows.get(l.from());
                int p = rows.get(l.to());
                TrainingPair pair = CoEngagementPairs.fromLink(a, p, l.weight());
                if (vectors[a] != null && vectors[p] != null && pair != null) {
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
            described.put("minLinkWeight", Double.toString(minWeight));
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

    @Override
    public void close() {
        worker.shutdownNow();
    }
}

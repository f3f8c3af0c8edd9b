package io.tastemaker.evaluation;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks the evaluation harness against the published numbers: the popularity baseline on the
 * real Amazon Beauty split (read from -Dbeauty.dir, default ../shared/datasets/amazon-beauty-2014-s3rec,
 * never copied) should land near the PopRec row of that folder's README (HR@10 0.0152) and its
 * own sanity check (0.0135). Research data: runs only on request, like a benchmark:
 * {@code ./mvnw test -Dgroups=benchmark -Dbench.excluded=none -Dtest=BeautyBaselineCheck}.
 */
@Tag("benchmark")
class BeautyBaselineCheck {

    @Test
    void popularity_on_beauty() throws Exception {
        Path dir = Path.of(System.getProperty("beauty.dir", "../shared/datasets/amazon-beauty-2014-s3rec"));
        Assumptions.assumeTrue(Files.exists(dir.resolve("Beauty.txt.gz")), "no Beauty data at " + dir.toAbsolutePath());
        Interactions data = Datasets.read(dir, Datasets.Options.DEFAULT).interactions();
        for (LeaveOneOut.Target target : LeaveOneOut.Target.values()) {
            long started = System.nanoTime();
            RankingMetrics metrics = Evaluator.evaluate(LeaveOneOut.cases(data, target), data.itemCount(),
                    new PopularityScorer(LeaveOneOut.training(data, target), data.itemCount()));
            System.out.printf("popularity, %s (%d users, %d items, %d titles, %.1f s): %s%n", target, metrics.cases(),
                    data.itemCount(), data.titles().size(), (System.nanoTime() - started) / 1e9, metrics.asTable());
        }
    }
}

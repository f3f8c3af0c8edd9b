package io.tastemaker.evaluation;

import io.tastemaker.runtime.CommandLines;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code java -jar quarkus-run.jar evaluate <dir> [--out report.md] [--fine-tune …]}: the offline
 * evaluation ({@link BlendEvaluation}) or, with {@code --fine-tune}, the base model against a
 * fine-tuned adapter ({@link FineTuneComparison}). A wrong option prints what is wrong and the
 * usage on standard error and exits 2; a directory without a recognised layout ({@link Datasets}) or a
 * malformed line (named by file and line number) exits 2 as well.
 */
@Command(name = "evaluate", sortOptions = false, separator = " ",
        description = "Replays a leave-one-out split through the service's own retrieval and fusion and prints HR"
                + " and NDCG at 5/10/20 beside popularity and content-only baselines. The layout is recognised"
                + " from the files: <Name>.txt[.gz] + items.tsv[.gz] (S3-Rec, e.g. Amazon Beauty),"
                + " <name>.inter[.gz] + <name>.item[.gz] (RecBole atomic files) or engagement.ndjson[.gz] +"
                + " products.ndjson[.gz] (this service's /v1/training-data export).")
public final class EvaluateCommand implements Callable<Integer> {

    @Parameters(paramLabel = "DIR",
            description = "the dataset directory, e.g. ../shared/datasets/amazon-beauty-2014-s3rec")
    private Path dir;

    @Option(names = "--min-rating", paramLabel = "N",
            description = "RecBole only: count only ratings of at least N as interactions (default: every rating)")
    private Double minRating;

    @Option(names = "--out", paramLabel = "report.md", description = "also write the result table to this file")
    private Path report;

    @ArgGroup(exclusive = false, heading = "%nFine-tuning (lists, comma-separated, span the validation search):%n")
    private FineTuneOptions fineTune;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help")
    private boolean help;

    @Spec
    private CommandLine.Model.CommandSpec spec;

    /** Runs the command with the arguments after {@code evaluate}; returns the exit code. */
    public static int execute(String... args) {
        return commandLine().execute(args);
    }

    static CommandLine commandLine() {
        return CommandLines.of(new EvaluateCommand());
    }

    @Override
    public Integer call() throws IOException {
        Datasets.Options options = new Datasets.Options(minRating);
        try {
            Datasets.detect(dir);
            if (fineTune == null) {
                BlendEvaluation.run(dir, options, report, System.out);
            } else {
                FineTuneComparison.run(dir, options, report, fineTune, System.out);
            }
        } catch (DatasetException e) {
            spec.commandLine().getErr().println(e.getMessage());
            return 2;
        }
        return 0;
    }
}

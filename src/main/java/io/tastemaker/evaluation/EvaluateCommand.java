package io.tastemaker.evaluation;

import io.tastemaker.runtime.CommandLines;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code java -jar quarkus-run.jar evaluate <dir> [--out report.md] [--fine-tune …]}: the offline
 * evaluation ({@link BlendEvaluation}) or, with {@code --fine-tune}, the base model against a
 * fine-tuned adapter ({@link FineTuneComparison}). A wrong option prints what is wrong and the
 * usage on standard error and exits 2; a missing dataset exits 2 as well.
 */
@Command(name = "evaluate", sortOptions = false, separator = " ",
        description = "Replays a leave-one-out split (Amazon Beauty) through the service's own retrieval and fusion"
                + " and prints HR and NDCG at 5/10/20 beside popularity and content-only baselines.")
public final class EvaluateCommand implements Callable<Integer> {

    @Parameters(paramLabel = "DIR",
            description = "the dataset directory holding Beauty.txt.gz, e.g. ../shared/datasets/amazon-beauty-2014-s3rec")
    private Path dir;

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
        if (!Files.exists(dir.resolve("Beauty.txt.gz"))) {
            spec.commandLine().getErr().println("No Beauty.txt.gz in " + dir.toAbsolutePath());
            return 2;
        }
        if (fineTune == null) {
            BlendEvaluation.run(dir, report, System.out);
        } else {
            FineTuneComparison.run(dir, report, fineTune, System.out);
        }
        return 0;
    }
}

package io.tastemaker.embedded;

import io.tastemaker.runtime.CommandLines;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code java -jar quarkus-run.jar services}: the embedded PostgreSQL and Kafka broker on their
 * own, for several Tastemaker processes on one machine (two {@code api}, one {@code ingest}) to
 * share as their external database and broker, without Docker. A trial and test set-up, not a
 * production one: one broker, no replication, no TLS. Prints the settings the processes need once
 * both answer, then runs until stopped (SIGTERM or Ctrl-C), stopping the broker and then the
 * database; the data stays under {@code --data-dir} for the next start.
 */
@Command(name = "services", separator = " ", sortOptions = false,
        description = "Run the embedded PostgreSQL and Kafka alone, for several Tastemaker processes to share.")
public final class ServicesCommand implements Callable<Integer> {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help")
    boolean help;

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "data/shared",
            description = "where PostgreSQL and Kafka keep their data (default: ${DEFAULT-VALUE})")
    Path dataDir;

    @Option(names = "--postgres-port", paramLabel = "PORT", defaultValue = "15432", description = "default: ${DEFAULT-VALUE}")
    int postgresPort;

    @Option(names = "--kafka-port", paramLabel = "PORT", defaultValue = "19092", description = "default: ${DEFAULT-VALUE}")
    int kafkaPort;

    @Option(names = "--kafka-controller-port", paramLabel = "PORT", defaultValue = "19093",
            description = "the broker's KRaft controller (default: ${DEFAULT-VALUE})")
    int kafkaControllerPort;

    private final PrintStream out;
    private final PrintStream err;
    private final CountDownLatch stopped = new CountDownLatch(1);

    ServicesCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    /** Returns only on a wrong option (2) or a failed start (1): once running, only a signal ends the JVM. */
    public static int main(String... args) {
        return new ServicesCommand(System.out, System.err).run(args);
    }

    int run(String... args) {
        return CommandLines.of(this)
                .setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true))
                .setExecutionExceptionHandler((e, command, parsed) -> {
                    err.println("services failed: " + e.getMessage());
                    return 1;
                })
                .execute(args);
    }

    @Override
    public Integer call() throws InterruptedException {
        for (int port : new int[] {postgresPort, kafkaPort, kafkaControllerPort}) {
            if (port < 1 || port > 65535) {
                throw new CommandLine.ParameterException(spec.commandLine(), "every port must be between 1 and 65535, got " + port);
            }
        }
        Path root = dataDir.toAbsolutePath();
        EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start(root.resolve("postgres"), postgresPort);
        EmbeddedKafkaBroker broker;
        try {
            broker = EmbeddedKafkaBroker.start(root.resolve("kafka"), kafkaPort, kafkaControllerPort);
        } catch (RuntimeException e) {
            postgres.close();
            throw e;
        }
        // the JVM ends by a signal: stop in reverse order of start, so the broker's last writes are not cut off
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            broker.close();
            postgres.close();
            stopped.countDown();
        }, "services-stop"));
        out.println("KAFKA_BOOTSTRAP_SERVERS=" + broker.bootstrapServers());
        out.println("TASTEMAKER_DATABASE_URL=postgresql://localhost:" + postgres.port() + "/postgres");
        out.println("# PostgreSQL user postgres, no password; running until stopped (Ctrl-C or SIGTERM)");
        out.flush();
        stopped.await();
        return 0;
    }
}

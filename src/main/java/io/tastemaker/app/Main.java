package io.tastemaker.app;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import io.tastemaker.embedded.ServicesCommand;
import io.tastemaker.evaluation.EvaluateCommand;
import io.tastemaker.security.KeysCommand;

import java.util.Arrays;

/**
 * The entry point of {@code quarkus-run.jar}: starts the service, or with {@code evaluate <dir>}
 * runs the offline evaluation instead (plain Java: it needs no broker, database or HTTP server,
 * so none is started), or with {@code keys …} manages API keys in the database, or with
 * {@code services} runs the embedded PostgreSQL and Kafka alone for several processes to share. The commands
 * parse their options with picocli and exit with its codes: 0 done, 2 a wrong option, 1 a failure.
 */
@QuarkusMain
public class Main {

    public static void main(String... args) {
        String command = args.length > 0 ? args[0] : "";
        String[] options = args.length > 0 ? Arrays.copyOfRange(args, 1, args.length) : args;
        switch (command) {
            case "evaluate" -> System.exit(EvaluateCommand.execute(options));
            case "keys" -> System.exit(KeysCommand.main(options));
            case "services" -> System.exit(ServicesCommand.main(options));
            default -> Quarkus.run(args);
        }
    }
}

package io.tastemaker.app;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import io.tastemaker.evaluation.BlendEvaluation;
import io.tastemaker.security.KeysCommand;

import java.util.Arrays;

/**
 * The entry point of {@code quarkus-run.jar}: starts the service, or with {@code evaluate <dir>}
 * runs the offline evaluation instead (plain Java: it needs no broker, database or HTTP server,
 * so none is started), or with {@code keys …} manages API keys in the database.
 */
@QuarkusMain
public class Main {

    public static void main(String... args) throws Exception {
        if (args.length > 0 && args[0].equals("evaluate")) {
            BlendEvaluation.main(Arrays.copyOfRange(args, 1, args.length));
            System.exit(0);
        }
        if (args.length > 0 && args[0].equals("keys")) {
            System.exit(KeysCommand.main(Arrays.copyOfRange(args, 1, args.length)));
        }
        Quarkus.run(args);
    }
}

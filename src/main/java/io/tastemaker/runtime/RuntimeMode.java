package io.tastemaker.runtime;

import java.util.ArrayList;
import java.util.List;

/** Embedded when no external endpoint is configured; production as soon as one is. */
public enum RuntimeMode {
    EMBEDDED, PRODUCTION;

    public static RuntimeMode of(RuntimeConfig config) {
        boolean external = config.kafka().bootstrapServers().isPresent() || config.database().url().isPresent();
        return external ? PRODUCTION : EMBEDDED;
    }

    /**
     * Every problem with the configuration of this mode, each naming the setting to fix, so an
     * operator can correct them all in one go.
     */
    public static List<String> problems(RuntimeConfig config) {
        List<String> problems = new ArrayList<>();
        if (!List.of("all", "api", "ingest").contains(config.role())) {
            problems.add("tastemaker.role must be all, api or ingest, got '" + config.role() + "'");
        }
        if (of(config) == PRODUCTION) {
            if (config.kafka().bootstrapServers().isEmpty()) {
                problems.add("tastemaker.kafka.bootstrap-servers (env KAFKA_BOOTSTRAP_SERVERS) is required in"
                        + " production mode, which was chosen because tastemaker.database.url is set");
            } else if (!config.kafka().bootstrapServers().get().matches("[^,\\s]+:\\d+(,[^,\\s]+:\\d+)*")) {
                problems.add("tastemaker.kafka.bootstrap-servers must be host:port[,host:port...], got '"
                        + config.kafka().bootstrapServers().get() + "'");
            }
            if (config.database().url().isEmpty()) {
                problems.add("tastemaker.database.url (env TASTEMAKER_DATABASE_URL) is required in production"
                        + " mode, which was chosen because tastemaker.kafka.bootstrap-servers is set");
            } else if (!config.database().url().get().startsWith("postgresql://")) {
                problems.add("tastemaker.database.url must look like postgresql://host:5432/database, got '"
                        + config.database().url().get() + "'");
            }
        } else {
            checkPort(problems, "tastemaker.embedded.postgres-port", config.embedded().postgresPort());
            checkPort(problems, "tastemaker.embedded.kafka-port", config.embedded().kafkaPort());
            checkPort(problems, "tastemaker.embedded.kafka-controller-port", config.embedded().kafkaControllerPort());
        }
        problems.addAll(new KafkaSecurity(config.kafka()).problems());
        return problems;
    }

    private static void checkPort(List<String> problems, String setting, int port) {
        if (port < 1 || port > 65535) {
            problems.add(setting + " must be a TCP port between 1 and 65535, got " + port);
        }
    }
}

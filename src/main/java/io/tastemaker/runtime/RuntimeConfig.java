package io.tastemaker.runtime;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Where Tastemaker runs: embedded (everything inside this JVM, under one data directory) or
 * production (external Kafka and PostgreSQL). Production is chosen by configuring an endpoint.
 */
@ConfigMapping(prefix = "tastemaker")
public interface RuntimeConfig {

    /** Root of all embedded data: PostgreSQL cluster, Kafka log, vector index. */
    @WithDefault("data")
    Path dataDir();

    /**
     * What this instance does: {@code all} (serve and ingest), {@code api} (serve only) or
     * {@code ingest} (run the consumers only), so API and ingestion scale apart.
     */
    @WithDefault("all")
    String role();

    Kafka kafka();

    Database database();

    Embedded embedded();

    interface Kafka {
        /** External brokers (also read from KAFKA_BOOTSTRAP_SERVERS); empty means embedded. */
        Optional<String> bootstrapServers();
    }

    interface Database {
        /** External PostgreSQL, e.g. postgresql://db:5432/tastemaker; empty means embedded. */
        Optional<String> url();

        Optional<String> username();
    }

    interface Embedded {
        @WithDefault("15432")
        int postgresPort();

        @WithDefault("19092")
        int kafkaPort();

        @WithDefault("19093")
        int kafkaControllerPort();
    }
}

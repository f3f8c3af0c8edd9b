package io.tastemaker.runtime;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.nio.file.Path;
import java.util.Map;
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

        /** Kafka's {@code security.protocol}: PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL. */
        @WithDefault("PLAINTEXT")
        String securityProtocol();

        /** PLAIN, SCRAM-SHA-256, SCRAM-SHA-512, OAUTHBEARER or GSSAPI; required with a SASL protocol. */
        Optional<String> saslMechanism();

        /** The JAAS login line carrying the client's credentials: a secret, best read from a file. */
        Optional<String> saslJaasConfig();

        /** Trusted CAs of the brokers, when the JVM's default trust store does not hold them. */
        Optional<Path> sslTruststoreLocation();

        Optional<String> sslTruststorePassword();

        /** JKS, PKCS12 or PEM; Kafka's default (JKS) when empty. */
        Optional<String> sslTruststoreType();

        /** This client's certificate and key, for brokers that require mutual TLS. */
        Optional<Path> sslKeystoreLocation();

        Optional<String> sslKeystorePassword();

        /** JKS, PKCS12 or PEM; Kafka's default (JKS) when empty. */
        Optional<String> sslKeystoreType();

        /** Password of the private key inside the keystore, when it differs from the keystore's. */
        Optional<String> sslKeyPassword();

        /**
         * Further Kafka client properties given to the producer, every consumer and the admin
         * client alike, e.g. {@code tastemaker.kafka.properties."ssl.endpoint.identification.algorithm"=}.
         */
        Map<String, String> properties();
    }

    interface Database {
        /** External PostgreSQL, e.g. postgresql://db:5432/tastemaker; empty means embedded. */
        Optional<String> url();

        Optional<String> username();

        /**
         * How often {@code io.tastemaker.db.DatabaseWatch} asks PostgreSQL whether it answers; while it
         * does not, writes that need it are refused at once (503) instead of hanging.
         */
        @WithDefault("1s")
        java.time.Duration probeInterval();

        /** How long a probe waits for PostgreSQL's answer before it counts as not answering. */
        @WithDefault("1s")
        java.time.Duration probeTimeout();

        /** How long a request waits for a free pooled connection before it fails (503). */
        @WithDefault("5s")
        java.time.Duration acquisitionTimeout();

        /** How many requests may wait for a pooled connection; more are refused at once (503). */
        @WithDefault("256")
        int poolWaitQueue();
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

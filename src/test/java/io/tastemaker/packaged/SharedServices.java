package io.tastemaker.packaged;

import io.tastemaker.vectors.QdrantStandIn;
import org.awaitility.Awaitility;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What several Tastemaker processes share, started as an operator would on one machine: the
 * packaged jar's {@code services} command (the embedded PostgreSQL and Kafka broker, in a process
 * of their own) and, because there is no Qdrant server here, the Qdrant protocol stand-in on a
 * loopback port of the test JVM (every process reaches it over gRPC, as it would a real Qdrant).
 */
final class SharedServices implements AutoCloseable {

    private final Process services;
    private final QdrantStandIn qdrant;
    private final int postgresPort;
    private final int kafkaPort;

    private SharedServices(Process services, QdrantStandIn qdrant, int postgresPort, int kafkaPort) {
        this.services = services;
        this.qdrant = qdrant;
        this.postgresPort = postgresPort;
        this.kafkaPort = kafkaPort;
    }

    /** Starts both under {@code dir} (emptied first) and returns once the command printed its settings. */
    static SharedServices start(Path dir, int postgresPort, int kafkaPort, int kafkaControllerPort) throws IOException {
        PackagedRun.deleteRecursively(dir);
        Files.createDirectories(dir);
        Path log = dir.resolve("services.log");
        Process process = new ProcessBuilder(PackagedProcess.java(), "-Xmx384m", "-XX:+UseSerialGC", "-jar",
                PackagedRun.JAR.toString(), "services", "--data-dir", dir.resolve("data").toString(),
                "--postgres-port", String.valueOf(postgresPort), "--kafka-port", String.valueOf(kafkaPort),
                "--kafka-controller-port", String.valueOf(kafkaControllerPort))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        QdrantStandIn qdrant = new QdrantStandIn(true);
        SharedServices shared = new SharedServices(process, qdrant, postgresPort, kafkaPort);
        try {
            Awaitility.await("the services command printing its settings; see " + log)
                    .atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500)).until(() -> {
                        if (!process.isAlive()) {
                            throw new IllegalStateException("the services command exited; see " + log);
                        }
                        return Files.readString(log).contains("TASTEMAKER_DATABASE_URL=");
                    });
        } catch (RuntimeException e) {
            shared.close();
            throw e;
        }
        return shared;
    }

    /** The environment every Tastemaker process needs to use these services (production mode). */
    Map<String, String> environment() {
        return Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", "localhost:" + kafkaPort,
                "TASTEMAKER_DATABASE_URL", "postgresql://localhost:" + postgresPort + "/postgres",
                "TASTEMAKER_VECTORS_BACKEND", "qdrant",
                "TASTEMAKER_VECTORS_QDRANT_HOST", "localhost",
                "TASTEMAKER_VECTORS_QDRANT_PORT", String.valueOf(qdrant.port()));
    }

    String bootstrapServers() {
        return "localhost:" + kafkaPort;
    }

    /** A plain JDBC connection to the shared database, for the test's own look at what the consumers stored. */
    Connection database() throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://localhost:" + postgresPort + "/postgres", "postgres", "");
    }

    @Override
    public void close() {
        qdrant.close();
        services.destroy(); // SIGTERM: the command stops the broker, then PostgreSQL
        try {
            if (!services.waitFor(1, TimeUnit.MINUTES)) {
                services.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            services.destroyForcibly();
        }
    }
}

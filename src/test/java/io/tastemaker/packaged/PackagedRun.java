package io.tastemaker.packaged;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One run of the packaged application ({@code target/quarkus-app/quarkus-run.jar}) with its own
 * data directory under {@code target/} and its own free ports, so it never touches the
 * developer's {@code data/}, a demo running beside it, or the ports of the {@code @QuarkusTest}
 * suites that run in the same {@code verify}. The data directory starts empty: every run is a
 * first start, as after the README's run command on a fresh checkout.
 */
record PackagedRun(Path dataDir, int httpPort, int managementPort, int postgresPort, int kafkaPort,
                   int kafkaControllerPort) {

    static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar");

    /** A fresh run named {@code name}: an empty {@code target/packaged-it/<name>/data} and five free ports. */
    static PackagedRun prepare(String name) {
        Path dataDir = Path.of("target", "packaged-it", name, "data").toAbsolutePath();
        deleteRecursively(dataDir);
        int[] ports = freePorts(5);
        return new PackagedRun(dataDir, ports[0], ports[1], ports[2], ports[3], ports[4]);
    }

    /** The run's settings as the environment variables an operator would set (see application.properties). */
    Map<String, String> environment() {
        return Map.of(
                "TASTEMAKER_DATA_DIR", dataDir.toString(),
                "PORT", String.valueOf(httpPort),
                "MANAGEMENT_PORT", String.valueOf(managementPort),
                "TASTEMAKER_EMBEDDED_POSTGRES_PORT", String.valueOf(postgresPort),
                "TASTEMAKER_EMBEDDED_KAFKA_PORT", String.valueOf(kafkaPort),
                "TASTEMAKER_EMBEDDED_KAFKA_CONTROLLER_PORT", String.valueOf(kafkaControllerPort));
    }

    /**
     * The same settings as system properties, for {@code @QuarkusIntegrationTest}, which chooses
     * the HTTP port itself ({@code quarkus.http.test-port}) and passes these to the jar as {@code -D}.
     */
    Map<String, String> systemProperties() {
        return Map.of(
                "tastemaker.data-dir", dataDir.toString(),
                "quarkus.management.port", String.valueOf(managementPort),
                "tastemaker.embedded.postgres-port", String.valueOf(postgresPort),
                "tastemaker.embedded.kafka-port", String.valueOf(kafkaPort),
                "tastemaker.embedded.kafka-controller-port", String.valueOf(kafkaControllerPort));
    }

    /** The ports the embedded PostgreSQL and Kafka listen on. */
    List<Integer> embeddedPorts() {
        return List.of(postgresPort, kafkaPort, kafkaControllerPort);
    }

    /** The secret the embedded runtime wrote to {@code keys/<role>} on its first start. */
    String key(String role) {
        try {
            return Files.readString(dataDir.resolve("keys").resolve(role)).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("the run keeps no " + role + " key yet", e);
        }
    }

    /** Whether something listens on {@code port}: a server socket cannot be bound there. */
    static boolean listening(int port) {
        try (ServerSocket socket = new ServerSocket(port)) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    /** Distinct ports nothing listens on now (all held open at once, so none is chosen twice). */
    static int[] freePorts(int count) {
        List<ServerSocket> held = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                held.add(new ServerSocket(0));
            }
            return held.stream().mapToInt(ServerSocket::getLocalPort).toArray();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port", e);
        } finally {
            for (ServerSocket socket : held) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // a socket that cannot close keeps its port: the run simply fails to bind it
                }
            }
        }
    }

    static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot empty " + dir, e);
        }
    }
}

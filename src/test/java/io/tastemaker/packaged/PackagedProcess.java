package io.tastemaker.packaged;

import org.awaitility.Awaitility;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One process of the packaged jar in a deployment of several: its role ({@code api} or
 * {@code ingest}), its two ports, its own data directory (models directory, nothing shared) and
 * its log under {@code target/packaged-it/<deployment>/<name>/}. Unlike {@link PackagedRun} it
 * runs in production mode against {@link SharedServices}. A process started again under the same
 * name appends to the same log.
 */
final class PackagedProcess implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    /**
     * Small heap and the client compiler only: three of these share two cores with the broker, the
     * database and the test. The embedding model (ONNX Runtime) lives off the heap. No vector module
     * either: these runs keep the scalar dot products working (the docs check starts the SIMD way).
     */
    private static final String[] JVM_OPTIONS = {"-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"};

    private final String name;
    private final String role;
    private final int httpPort;
    private final int managementPort;
    private final Path dataDir;
    private final Path log;
    private final Process process;

    private PackagedProcess(String name, String role, int httpPort, int managementPort, Path dataDir, Path log,
                            Process process) {
        this.name = name;
        this.role = role;
        this.httpPort = httpPort;
        this.managementPort = managementPort;
        this.dataDir = dataDir;
        this.log = log;
        this.process = process;
    }

    /** Starts {@code java -jar quarkus-run.jar} with the role, ports and data directory, plus {@code environment}. */
    static PackagedProcess start(Path deployment, String name, String role, int httpPort, int managementPort,
                                 Map<String, String> environment) throws IOException {
        Path dir = deployment.resolve(name).toAbsolutePath();
        Path dataDir = dir.resolve("data");
        Files.createDirectories(dataDir);
        Path log = dir.resolve("app.log");
        Files.writeString(log, "---- started as " + role + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        ProcessBuilder command = new ProcessBuilder(java());
        command.command().addAll(java.util.List.of(JVM_OPTIONS));
        command.command().addAll(java.util.List.of("-jar", PackagedRun.JAR.toString()));
        command.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Map<String, String> env = new HashMap<>(environment);
        env.put("TASTEMAKER_ROLE", role);
        env.put("TASTEMAKER_DATA_DIR", dataDir.toString());
        env.put("PORT", String.valueOf(httpPort));
        env.put("MANAGEMENT_PORT", String.valueOf(managementPort));
        env.put("TASTEMAKER_DEMO", "false");
        command.environment().putAll(env);
        return new PackagedProcess(name, role, httpPort, managementPort, dataDir, log, command.start());
    }

    /** Waits until the process answers its readiness probe with 200. */
    PackagedProcess awaitReady(Duration bound) {
        Awaitility.await(name + " ready; see " + log).atMost(bound).pollInterval(Duration.ofSeconds(1)).until(() -> {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + " while starting; see " + log);
            }
            return status("http://localhost:" + managementPort + "/q/health/ready") == 200;
        });
        return this;
    }

    String name() {
        return name;
    }

    String role() {
        return role;
    }

    int httpPort() {
        return httpPort;
    }

    Path dataDir() {
        return dataDir;
    }

    Path log() {
        return log;
    }

    boolean alive() {
        return process.isAlive();
    }

    /** {@code kill -9}: no shutdown hook, no offset commit, no lease release. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(1, TimeUnit.MINUTES);
    }

    /** SIGTERM, as an orchestrator stops a process; forced after a minute. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(1, TimeUnit.MINUTES)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    static int status(String url) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1; // not listening yet
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}

package io.tastemaker.packaged;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Starts the packaged jar exactly as the README's run command does ({@code java @infra/jvm.options
 * -jar target/quarkus-app/quarkus-run.jar}, settings from the environment; its log shows the file was
 * read: dot products in vector registers), waits until it is ready,
 * stops it as an orchestrator does (SIGTERM; on two cores the demo catalog is still being embedded
 * then), and checks the stop was clean: the process ends by that signal after its shutdown
 * hooks, logs its stop and no error, and the embedded PostgreSQL (a process of its own) and Kafka
 * it started are gone: their ports are free and PostgreSQL removed its pid file.
 */
class PackagedAppShutdownIT {

    /** A JVM that ran its shutdown hooks after SIGTERM exits with 128 + 15. */
    private static final int EXIT_AFTER_SIGTERM = 143;

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private Process app;

    @Test
    void stops_cleanly_on_sigterm_and_leaves_no_embedded_server_behind() throws Exception {
        PackagedRun run = PackagedRun.prepare("shutdown");
        Path log = run.dataDir().resolveSibling("app.log");
        Files.createDirectories(log.getParent());
        ProcessBuilder command = new ProcessBuilder(PackagedProcess.java(), "@infra/jvm.options", "-jar",
                PackagedRun.JAR.toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        command.environment().putAll(run.environment());
        app = command.start();

        await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            assertThat(app.isAlive()).as("the app exited while starting; see %s", log).isTrue();
            return PackagedProcess.status("http://localhost:" + run.managementPort() + "/q/health/ready") == 200;
        });
        assertThat(run.embeddedPorts()).allMatch(PackagedRun::listening);

        app.destroy();
        boolean stopped = app.waitFor(2, TimeUnit.MINUTES);

        assertThat(stopped).as("stopped within 2 minutes of SIGTERM").isTrue();
        assertThat(app.exitValue()).as("exit code; log in %s", log).isEqualTo(EXIT_AFTER_SIGTERM);
        List<String> lines = Files.readAllLines(log);
        assertThat(lines).as("the stop line").anyMatch(line -> line.contains("tastemaker stopped in"));
        assertThat(lines).as("errors logged").noneMatch(line -> line.contains(" ERROR "));
        assertThat(lines).as("the options file read (its vector module on)").anyMatch(line -> line.contains("dot products SIMD"));
        assertThat(List.of(run.httpPort(), run.managementPort(), run.postgresPort(), run.kafkaPort(), run.kafkaControllerPort()))
                .as("ports still listened on").noneMatch(PackagedRun::listening);
        assertThat(run.dataDir().resolve("postgres").resolve("postmaster.pid")).doesNotExist();
    }

    @AfterEach
    void stopWhatIsLeft() throws InterruptedException {
        if (app != null && app.isAlive()) {
            // SIGTERM first: a forced kill would leave the embedded PostgreSQL running
            app.destroy();
            if (!app.waitFor(1, TimeUnit.MINUTES)) {
                app.destroyForcibly();
            }
        }
    }
}

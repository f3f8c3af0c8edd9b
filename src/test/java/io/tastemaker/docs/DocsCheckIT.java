package io.tastemaker.docs;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every command in the docs runs, so none goes stale: runs {@code docs/check.sh} (every relative
 * link and anchor resolves; every {@code bash} block of README.md, CONTRIBUTING.md and docs/*.md
 * runs against a freshly started packaged service) on the jar this build packaged. Failsafe runs
 * it after {@code package}, so the README's test command covers the docs. The bound on the wait
 * only keeps a hung service from hanging the build; it asserts no speed.
 */
class DocsCheckIT {

    private static final Duration BOUND = Duration.ofMinutes(30);
    private static final Path JAR = Path.of("target/quarkus-app/quarkus-run.jar");
    private static final Path OUTPUT = Path.of("target/docs-check.log");

    @Test
    void every_link_resolves_and_every_command_in_the_docs_runs_against_the_packaged_service() throws Exception {
        assertThat(JAR).as("the packaged service (failsafe runs after package)").exists();
        ProcessBuilder check = new ProcessBuilder("bash", "docs/check.sh")
                .redirectErrorStream(true)
                .redirectOutput(OUTPUT.toFile());
        check.environment().put("SKIP_PACKAGE", "1");
        Process process = check.start();
        boolean finished = process.waitFor(BOUND.toMinutes(), TimeUnit.MINUTES);
        if (!finished) {
            process.destroy(); // the script stops the service it started on SIGTERM
            if (!process.waitFor(1, TimeUnit.MINUTES)) {
                process.destroyForcibly();
            }
        }
        String output = Files.readString(OUTPUT);
        assertThat(finished).as("docs/check.sh did not finish within %s; its output so far:%n%s", BOUND, output).isTrue();
        String failures = output.lines().filter(line -> line.startsWith("FAIL") || line.startsWith("docs check:"))
                .collect(Collectors.joining("\n"));
        assertThat(process.exitValue())
                .as("docs/check.sh failed (page:line: the command):%n%s%n%nits whole output (%s):%n%s", failures, OUTPUT, output)
                .isZero();
    }
}

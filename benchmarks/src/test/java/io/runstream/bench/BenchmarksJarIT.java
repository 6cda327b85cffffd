package io.runstream.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.runstream.testing.RequiredTool;

/**
 * The packaged {@code benchmarks.jar} runs as docs/benchmarks.md says, with only its manifest's {@code lib/}:
 * unit tests run on Maven's test classpath, which hid a dependency the jar lacked (Awaitility, used by
 * test-support's peers, scoped to tests by the parent pom; the suite then failed at stage 2).
 */
class BenchmarksJarIT {

    private static final Path JAR = Path.of("target", "benchmarks.jar");

    @Test
    void theSuitesIngestStageRunsFromThePackagedJar(@TempDir Path work) throws Exception {
        // The ingest stage starts Debian's Alertmanager beside the connector.
        RequiredTool.onPath("apt-get install prometheus-alertmanager; .ci/run does", "prometheus-alertmanager");
        assertThat(JAR).as("packaged by mvn package before the integration tests").isRegularFile();
        Path output = work.resolve("output.log");

        Process suite = new ProcessBuilder(List.of(javaBinary(), "-jar", JAR.toAbsolutePath().toString(), "suite",
                "--quick", "--stages", "ingest")).directory(work.toFile()).redirectErrorStream(true)
                .redirectOutput(output.toFile()).start();
        boolean finished = suite.waitFor(3, TimeUnit.MINUTES);
        if (!finished) {
            suite.destroyForcibly();
        }

        String log = read(output);
        assertThat(finished).as("the quick ingest stage finishes within 3 minutes; output:%n%s", log).isTrue();
        assertThat(suite.exitValue()).as("exit status; output:%n%s", log).isZero();
        assertThat(log).contains("stage 2-3 ingest and remote_write took").doesNotContain("NoClassDefFoundError");
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static String read(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    }
}

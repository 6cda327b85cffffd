package io.runstream.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;

/**
 * The README's run command with its scenario, for real: a child JVM runs {@code runstream run --scenario
 * bad-rollout}, every service becomes ready, the story is told to its end (an incident opened, escalated, rolled
 * back in dry run, resolved) and the CLI finds it; a termination signal (what Ctrl-C sends) stops everything and
 * leaves nothing behind.
 */
class RunCommandIT {

    private static final Pattern ENDPOINT = Pattern.compile("^(\\w[\\w ]*?)\\s+(http://\\S+)");
    private static final Pattern KAFKA = Pattern.compile("^kafka\\s+(\\S+) \\(embedded, data in (\\S+)\\)");

    private final List<String> output = new CopyOnWriteArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private Process process;

    @AfterEach
    void killLeftovers() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
        }
    }

    @Test
    void runsTheBadRolloutScenarioOnTheEmbeddedBrokerAndStopsCleanlyOnSignal(@TempDir Path dir) throws Exception {
        Path tokenFile = dir.resolve("api-write-token");
        Path logFile = dir.resolve("logs/run.log");
        ProcessBuilder builder = new ProcessBuilder(javaBinary(), "-cp", System.getProperty("java.class.path"),
                RunstreamCli.class.getName(), "run", "--ephemeral-ports", "--token-file", tokenFile.toString(),
                "--log-file", logFile.toString(), "--scenario", "bad-rollout", "--speed", "60")
                .redirectErrorStream(true);
        builder.environment().remove("RUNSTREAM_API_WRITE_TOKEN");
        builder.environment().remove("RUNSTREAM_API_WRITE_TOKEN_FILE");
        process = builder.start();
        collectOutput(process);

        await("'Runstream is up' on stdout").atMost(Duration.ofSeconds(120))
                .until(() -> output.contains("Runstream is up. Press Ctrl-C to stop.") || !process.isAlive());
        assertThat(process.isAlive()).as("launcher exited early:%n%s", String.join("\n", output)).isTrue();

        List<URI> healthUris = output.stream().map(ENDPOINT::matcher).filter(Matcher::find)
                .filter(m -> m.group(1).endsWith("health")).map(m -> URI.create(m.group(2))).toList();
        assertThat(healthUris).hasSize(3);
        for (URI health : healthUris) {
            await("ready: " + health).atMost(Duration.ofSeconds(60))
                    .until(() -> status(health) == 200);
        }
        assertThat(output).anyMatch(line -> line.matches("action workers +dry-run, no cluster: .*"));
        assertThat(output).anyMatch(line -> line.matches("drift reports +http://127\\.0\\.0\\.1:\\d+/api/v1/drift"));
        // and: the escalation lint, short: no channel is configured, so the pages go to the local inbox
        assertThat(output).anyMatch(line -> line.matches("local inbox +http://127\\.0\\.0\\.1:\\d+/api/v1/inbox"));
        assertThat(output).anyMatch(line -> line.matches("notifications +\\d+ channel\\(s\\) .* have no "
                + "configuration: their notices go to the local inbox .*"));
        assertThat(output).anyMatch(line -> line.matches(" +PAGE pagerduty/on-call +\\d+ uses?, set "
                + "RUNSTREAM_NOTIFICATIONS_PAGERDUTY_ROUTING_KEYS_ON_CALL"));
        assertThat(output).anyMatch(line -> line.startsWith("API write token") && line.contains(tokenFile.toString()));
        assertThat(Files.readString(tokenFile).trim()).hasSizeGreaterThanOrEqualTo(16);
        assertThat(String.join("\n", output)).doesNotContain(Files.readString(tokenFile).trim());
        // and: a quiet start, Kafka's start-up noise in the log file whose path is printed
        assertThat(output).anyMatch(line -> line.matches("log +" + Pattern.quote(logFile.toString()) + " .*"));
        assertThat(output).noneMatch(line -> line.matches(".*\\b(WARN|INFO|DEBUG)\\b.*"));
        assertThat(Files.readString(logFile)).contains("INFO", "io.runstream")
                // the processor runs detection and the incident stages as two applications (streams.topology)
                .contains("Kafka Streams topology split: detection as ");
        await("the story told to its end").atMost(Duration.ofSeconds(180))
                .until(() -> output.contains("The stack keeps running: look around, then press Ctrl-C to stop.")
                        || output.stream().anyMatch(line -> line.startsWith("Scenario bad-rollout stopped")));
        String told = String.join("\n", output);
        for (String type : List.of("OPENED", "ESCALATED", "ACTION_ISSUED", "RESOLVED")) {
            assertThat(output).as(told).anyMatch(line -> line.matches("\\s+INC-\\w+\\s+" + type + "\\s.*"));
        }
        assertThat(told).contains("ROLLOUT_UNDO DRY_RUN: dry-run, no cluster");
        URI api = output.stream().map(ENDPOINT::matcher).filter(Matcher::find)
                .filter(m -> m.group(1).equals("incident API")).map(m -> URI.create(m.group(2)).resolve("/"))
                .findFirst().orElseThrow();
        StringWriter listed = new StringWriter();
        assertThat(new CommandLine(new RunstreamCli()).setOut(new PrintWriter(listed, true)).execute("incidents",
                "list", "--api", api.toString(), "--service", "inference-gateway")).isZero();
        assertThat(listed.toString()).contains("RESOLVED", "ml-prod/inference-gateway");
        Matcher kafka = output.stream().map(KAFKA::matcher).filter(Matcher::find).findFirst().orElseThrow();
        Path kafkaData = Path.of(kafka.group(2));
        assertThat(kafkaData).exists();

        // SIGTERM, the same shutdown path as Ctrl-C; through the handle so our end of stdout stays open.
        process.toHandle().destroy();

        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("stopped within 60 s").isTrue();
        await("'Runstream stopped.' on stdout").atMost(Duration.ofSeconds(10))
                .until(() -> output.contains("Runstream stopped."));
        for (URI health : healthUris) {
            assertThat(status(health)).as("%s still answering", health).isEqualTo(-1);
        }
        assertThat(Files.exists(kafkaData)).as("temporary broker data removed").isFalse();
        assertThat(tokenFile).as("the token made for this run is removed with it").doesNotExist();
    }

    private int status(URI uri) throws InterruptedException {
        try {
            return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (ConnectException e) {
            return -1;
        } catch (IOException e) {
            return e.getCause() instanceof ConnectException ? -1 : -2;
        }
    }

    private void collectOutput(Process child) {
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(
                    new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                lines.lines().forEach(output::add);
            } catch (IOException e) {
                output.add("<output closed: " + e + ">");
            }
        }, "launcher-output");
        reader.setDaemon(true);
        reader.start();
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}

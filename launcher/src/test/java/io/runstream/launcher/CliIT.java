package io.runstream.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.runstream.launcher.scenario.IngestClient;
import io.runstream.testing.IncidentJson;
import io.runstream.testing.TestKafka;
import io.runstream.testing.WithKafka;
import picocli.CommandLine;

/**
 * The incident commands of {@code runstream} against a running stack: list and show (table and JSON), acknowledge,
 * approve and resolve with the write token from a file, and every kind of bad input a person types: an unknown
 * id, a wrong token, an unknown command or step, a stack that is not running.
 */
@WithKafka
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CliIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    private TestStack stack;
    private Path tokenFile;
    private Path dir;

    /** What one command printed and returned. */
    private record Run(int exitCode, String out, String err) {
    }

    @BeforeAll
    void startTheStack(TestKafka kafka, @TempDir Path dir) throws Exception {
        this.dir = dir;
        stack = new TestStack(kafka, Files.createDirectory(dir.resolve("state")));
        tokenFile = Files.writeString(dir.resolve("token"), stack.writeToken + "\n");
    }

    @AfterAll
    void stopTheStack() throws Exception {
        stack.close();
    }

    @Test
    void listsAndShowsAnIncidentAsATableAndAsJson() throws Exception {
        String id = incidentFrom("HighErrorRate", "checkout", "critical");

        Run table = runstream("incidents", "list", "--service", "checkout");
        Run json = runstream("incidents", "list", "--service", "checkout", "--json");
        Run show = runstream("incidents", "show", id);
        Run showJson = runstream("incidents", "show", id, "--json");

        assertThat(table.exitCode()).as(table.err()).isZero();
        assertThat(table.out()).contains("ID", "SEV", "STATE", id, "OPEN", "shop/checkout");
        JsonNode items = JSON.readTree(json.out());
        assertThat(items.isArray()).isTrue();
        assertThat(items.get(0).path("id").asText()).isEqualTo(id);
        assertThat(show.exitCode()).isZero();
        assertThat(show.out()).contains(id, "Alerts:", "HighErrorRate", "Notices:", "Timeline:", "OPENED");
        assertThat(JSON.readTree(showJson.out()).path("timeline").isArray()).isTrue();
    }

    @Test
    void acknowledgesApprovesAndResolvesWithTheTokenFromAFile() throws Exception {
        String id = incidentFrom("HighMemoryUsage", "embedder", "warning");
        awaitTimeline(id, "ACTION_AWAITING_APPROVAL");

        Run ack = runstream("ack", id, "--token-file", tokenFile.toString(), "--actor", "alice", "--note", "on it");
        awaitTimeline(id, "ACKNOWLEDGED");
        Run approve = runstream("approve", id, "raise-memory-limit", "--token-file", tokenFile.toString(),
                "--actor", "alice");
        awaitTimeline(id, "APPROVED");
        Run resolve = runstream("resolve", id, "--token-file", tokenFile.toString(), "--note", "limit raised");

        assertThat(ack.exitCode()).as(ack.err()).isZero();
        assertThat(ack.out()).contains("acknowledge of " + id + " accepted");
        assertThat(approve.exitCode()).as(approve.err()).isZero();
        assertThat(resolve.exitCode()).as(resolve.err()).isZero();
        JsonNode resolved = await().atMost(Duration.ofSeconds(60)).until(() -> stack.apiClient().incident(id),
                incident -> IncidentJson.reached(incident, "RESOLVED"));
        assertThat(resolved.path("acknowledgedBy").asText()).isEqualTo("alice");
        assertThat(ack.out() + approve.out() + resolve.out() + ack.err() + approve.err() + resolve.err())
                .as("the token is never printed").doesNotContain(stack.writeToken);
    }

    @Test
    void refusesBadInputWithAClearMessageAndExitCode() throws Exception {
        Path wrongToken = Files.writeString(dir.resolve("wrong-token"), "not-the-token-at-all-0123456789");
        String id = incidentFrom("HighErrorRate", "ranker", "warning");

        Run unknownIncident = runstream("incidents", "show", "INC-000000000000");
        Run unknownAck = runstream("ack", "INC-000000000000", "--token-file", tokenFile.toString());
        Run badToken = runstream("ack", id, "--token-file", wrongToken.toString());
        Run missingTokenFile = runstream("ack", id, "--token-file", dir.resolve("nowhere").toString());
        Run unknownStep = runstream("approve", id, "no-such-step", "--token-file", tokenFile.toString());
        Run unknownCommand = runstream("incidents", "frobnicate");
        Run notRunning = runstream("incidents", "list", "--api", "http://127.0.0.1:" + freePort());

        assertThat(unknownIncident.exitCode()).isEqualTo(1);
        assertThat(unknownIncident.err()).contains("404", "INC-000000000000");
        assertThat(unknownAck.exitCode()).isEqualTo(1);
        assertThat(unknownAck.err()).contains("404");
        assertThat(badToken.exitCode()).isEqualTo(1);
        assertThat(badToken.err()).contains("401").doesNotContain("not-the-token-at-all");
        assertThat(missingTokenFile.exitCode()).isEqualTo(2);
        assertThat(missingTokenFile.err()).contains("cannot read the token file");
        assertThat(unknownStep.exitCode()).isEqualTo(1);
        assertThat(unknownStep.err()).contains("no step 'no-such-step'");
        assertThat(unknownCommand.exitCode()).isEqualTo(2);
        assertThat(notRunning.exitCode()).isEqualTo(3);
        assertThat(notRunning.err()).contains("cannot reach the incident API", "Is the stack running?");
    }

    /** An Alertmanager alert for a service of namespace shop; answers the incident it opened. */
    private String incidentFrom(String alertname, String service, String severity) throws Exception {
        Map<String, String> labels = Map.of("alertname", alertname, "severity", severity, "service", service,
                "namespace", "shop");
        stack.ingestClient().alertmanager(List.of(new IngestClient.WebhookAlert(
                Integer.toHexString(labels.hashCode()) + "00000000", true, labels, Map.of("summary", alertname),
                Instant.now(), null)));
        return await().atMost(Duration.ofSeconds(60)).until(() -> {
            List<JsonNode> found = stack.apiClient().list(Map.of("service", service), 5);
            return found.isEmpty() ? null : found.get(0).path("id").asText();
        }, found -> found != null);
    }

    private void awaitTimeline(String id, String type) {
        await(type + " on " + id).atMost(Duration.ofSeconds(60)).until(() -> {
            List<String> types = new ArrayList<>();
            stack.apiClient().incident(id).path("timeline").forEach(e -> types.add(e.path("type").asText()));
            return types.contains(type);
        });
    }

    private Run runstream(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        if (!all.contains("--api") && !all.contains("frobnicate")) {
            all.add("--api");
            all.add(stack.api().toString());
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = new CommandLine(new RunstreamCli()).setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true)).execute(all.toArray(String[]::new));
        return new Run(code, out.toString(), err.toString());
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}

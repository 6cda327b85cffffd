package io.runstream.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.runstream.launcher.api.IncidentApiClient;
import io.runstream.launcher.scenario.KafkaRolloutAnnouncer;
import io.runstream.launcher.scenario.ScenarioRunner;
import io.runstream.launcher.scenario.Scenarios;
import io.runstream.testing.TestKafka;
import io.runstream.testing.WithKafka;

/**
 * Each built-in scenario, compressed, against the whole stack in this JVM (real broker, ingest connector, stream
 * processor, action workers without a cluster), through the connector's real endpoints; the outcome is read back
 * from the incident API, as a person would see it.
 */
@WithKafka
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ScenariosIT {

    private static final double SPEED = 60;

    private TestStack stack;
    private TestKafka kafka;

    @BeforeAll
    void startTheStack(TestKafka kafka, @TempDir Path state) throws Exception {
        this.kafka = kafka;
        stack = new TestStack(kafka, state);
    }

    @AfterAll
    void stopTheStack() throws Exception {
        stack.close();
    }

    @Test
    @Timeout(120)
    void badRolloutOpensEscalatesRollsBackInDryRunAndResolves() throws Exception {
        String told = play("bad-rollout");

        JsonNode incident = onlyIncidentOf("inference-gateway");
        assertThat(incident.path("state").asText()).as(told).isEqualTo("RESOLVED");
        assertThat(incident.path("severity").asText()).isIn("P1", "P2");
        assertThat(types(incident)).contains("OPENED", "ESCALATED", "ACTION_ISSUED", "ACTION_RESULT", "RESOLVED");
        JsonNode rollback = entry(incident, "ACTION_RESULT", "ROLLOUT_UNDO");
        assertThat(rollback.path("details").path("outcome").asText()).isEqualTo("DRY_RUN");
        assertThat(rollback.path("message").asText()).contains("no cluster");
        assertThat(told).contains(incident.path("id").asText(), "/dashboard", "ROLLOUT_UNDO");
    }

    @Test
    @Timeout(120)
    void latencySaturationScalesUpInDryRunAndResolves() throws Exception {
        String told = play("latency-saturation");

        JsonNode incident = onlyIncidentOf("ml-model-api");
        assertThat(incident.path("state").asText()).as(told).isEqualTo("RESOLVED");
        assertThat(incident.path("alerts").findValuesAsText("alertname")).contains("HighLatency");
        JsonNode scale = entry(incident, "ACTION_RESULT", "SCALE");
        assertThat(scale.path("details").path("outcome").asText()).isEqualTo("DRY_RUN");
        assertThat(scale.path("details").path("after.delta").asText()).isEqualTo("+2");
    }

    @Test
    @Timeout(120)
    void driftWaitsForApprovalThenSwitchesToThePreviousModelInDryRunAndResolves() throws Exception {
        String told = play("drift");

        JsonNode incident = onlyIncidentOf("fraud-api");
        assertThat(incident.path("state").asText()).as(told).isEqualTo("RESOLVED");
        assertThat(incident.path("alerts").findValuesAsText("alertname"))
                .contains("ModelAccuracyDegraded", "DataDrift");
        assertThat(types(incident)).containsSubsequence("ACTION_AWAITING_APPROVAL", "APPROVED", "ACTION_ISSUED",
                "ACTION_RESULT").contains("RESOLVED");
        JsonNode switched = entry(incident, "ACTION_RESULT", "SET_ENV");
        assertThat(switched.path("details").path("outcome").asText()).isEqualTo("DRY_RUN");
        assertThat(switched.path("details").path("after.env.MODEL_VERSION").asText()).isEqualTo("2026.11.2");
    }

    @Test
    @Timeout(120)
    void flappingAlertMakesOneIncidentReopenedNotTen() throws Exception {
        String told = play("flapping");

        JsonNode incident = onlyIncidentOf("feature-store");
        assertThat(incident.path("reopenCount").asInt()).as(told).isEqualTo(9);
        assertThat(types(incident).stream().filter("OPENED"::equals)).hasSize(1);
        assertThat(incident.path("state").asText()).isEqualTo("RESOLVED");
    }

    private String play(String name) throws InterruptedException {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(new Tee(captured, System.out), true, StandardCharsets.UTF_8);
        IncidentApiClient api = stack.apiClient();
        try (KafkaRolloutAnnouncer rollouts = new KafkaRolloutAnnouncer(stack.stack.kafka().clientProperties(),
                stack.stack.kafka().topicPrefix())) {
            new ScenarioRunner(stack.ingestClient(), api, stack.api().resolve("/dashboard"), rollouts, SPEED,
                    Duration.ofSeconds(2)).play(Scenarios.named(name).orElseThrow(), out);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }

    private JsonNode onlyIncidentOf(String service) throws InterruptedException {
        IncidentApiClient api = stack.apiClient();
        List<JsonNode> incidents = api.list(Map.of("service", service), 50);
        assertThat(incidents).as("incidents of %s", service).hasSize(1);
        return api.incident(incidents.get(0).path("id").asText());
    }

    private static List<String> types(JsonNode incident) {
        List<String> types = new ArrayList<>();
        incident.path("timeline").forEach(e -> types.add(e.path("type").asText()));
        return types;
    }

    private static JsonNode entry(JsonNode incident, String type, String containing) {
        for (JsonNode e : incident.path("timeline")) {
            if (type.equals(e.path("type").asText()) && e.path("message").asText().contains(containing)) {
                return e;
            }
        }
        throw new AssertionError("no " + type + " containing '" + containing + "' in " + incident.path("timeline"));
    }

    /** Keeps what the scenario tells for the assertions and shows it in the test's output. */
    private static final class Tee extends OutputStream {
        private final OutputStream first;
        private final OutputStream second;

        Tee(OutputStream first, OutputStream second) {
            this.first = first;
            this.second = second;
        }

        @Override
        public void write(int b) throws java.io.IOException {
            first.write(b);
            second.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws java.io.IOException {
            first.write(b, off, len);
            second.write(b, off, len);
        }
    }
}

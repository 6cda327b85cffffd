package io.runstream.processor.runbook;

import static io.runstream.processor.TopologyFixture.T0;
import static io.runstream.processor.TopologyFixture.firing;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.runstream.avro.ActionCommand;
import io.runstream.avro.ActionOutcome;
import io.runstream.avro.ActionResult;
import io.runstream.avro.ActionType;
import io.runstream.avro.Alert;
import io.runstream.avro.IncidentEvent;
import io.runstream.avro.IncidentEventType;
import io.runstream.processor.TopologyFixture;

/**
 * The built-in runbooks' HTTP_REQUEST steps through the whole topology: runbook 000's circuit-breaker reset after the
 * dependency's restart, runbook 004's Triton model load before a Triton restart. The commands carry the filled-in
 * url, the token's name (never a token) and the target {kind: http, name: host:port} that keys them on
 * action-commands.
 */
class HttpRunbooksTopologyTest {

    private static final String API = "mlops-api.mlops:8080";
    private static final String TRITON = "triton-server.triton-system:8000";

    private final TopologyFixture pipeline = new TopologyFixture();

    @AfterEach
    void close() {
        pipeline.close();
    }

    @Test
    void resetsTheCircuitBreakersOverHttpWhenRestartingTheDependencyFailed() {
        // given: Redis's breaker has been open for over a minute (runbook 000), and its restart is refused
        pipeline.send(alert("f-cb", "CircuitBreakerOpen", "mlops-api", "mlops",
                Map.of("dependency", "redis", "api_endpoint", API)), Duration.ZERO);
        ActionCommand restart = remediations().get(0).value;
        assertThat(restart.getType()).isEqualTo(ActionType.ROLLOUT_RESTART);

        // when
        result(restart, ActionOutcome.REJECTED, Map.of(), Duration.ofMinutes(1));

        // then: "if manual reset is needed": POST /api/v1/admin/reset-circuits with the workers' token by name
        KeyValue<String, ActionCommand> reset = remediations().get(0);
        assertThat(reset.value.getType()).isEqualTo(ActionType.HTTP_REQUEST);
        assertThat(reset.value.getTarget().getKind()).isEqualTo("http");
        assertThat(reset.value.getTarget().getName()).isEqualTo(API);
        assertThat(reset.value.getTarget().getNamespace()).isNull();
        assertThat(reset.key).isEqualTo("http//" + API);
        assertThat(reset.value.getParameters()).containsOnly(Map.entry("method", "POST"),
                Map.entry("url", "http://" + API + "/api/v1/admin/reset-circuits"),
                Map.entry("tokenRef", "circuit-reset"));
        assertThat(reset.value.getCommandId()).endsWith("/circuit-breaker-open/reset-circuit-breakers");
    }

    @Test
    void resetsTheCircuitBreakersWhenTheRestartedDependencyDidNotCloseThemInTime() {
        pipeline.send(alert("f-cb", "CircuitBreakerOpen", "mlops-api", "mlops",
                Map.of("dependency", "redis", "api_endpoint", API)), Duration.ZERO);
        result(remediations().get(0).value, ActionOutcome.SUCCEEDED, Map.of(), Duration.ofMinutes(1));

        pipeline.driver.advanceWallClockTime(Duration.ofMinutes(15).plusSeconds(1));

        assertThat(remediations()).extracting(kv -> kv.value.getType()).containsExactly(ActionType.HTTP_REQUEST);
        assertThat(types()).contains(IncidentEventType.RECOVERY_FAILED);
    }

    @Test
    void anAlertWithoutTheApiEndpointSkipsTheResetAndSaysWhy() {
        pipeline.send(alert("f-cb", "CircuitBreakerOpen", "mlops-api", "mlops", Map.of("dependency", "redis")),
                Duration.ZERO);

        result(remediations().get(0).value, ActionOutcome.FAILED, Map.of(), Duration.ofMinutes(1));

        assertThat(remediations()).isEmpty();
        assertThat(pipeline.incidentEvents.readValuesToList()).extracting(IncidentEvent::getMessage).contains(
                "circuit-breaker-open step reset-circuit-breakers skipped: nothing to fill {{label.api_endpoint}} with");
    }

    @Test
    void reloadsTheModelTritonFailedToLoadAndPutsTritonsAnswerOnTheTimeline() {
        // given: runbook 004, ModelLoadFailure for fraud-detector, which the fraud API serves through Triton
        pipeline.send(alert("f-model", "ModelLoadFailure", "fraud-api", "ml-prod", Map.of("model", "fraud-detector",
                "triton_host", TRITON, "triton_namespace", "triton-system", "triton_deployment", "triton-server")),
                Duration.ZERO);

        // then: "Reload specific model" through the KServe v2 repository API
        KeyValue<String, ActionCommand> load = remediations().get(0);
        assertThat(load.value.getType()).isEqualTo(ActionType.HTTP_REQUEST);
        assertThat(load.key).isEqualTo("http//" + TRITON);
        assertThat(load.value.getParameters()).containsEntry("url",
                "http://" + TRITON + "/v2/repository/models/fraud-detector/load").containsEntry("method", "POST")
                .doesNotContainKey("tokenRef");

        // when: Triton refuses the load
        result(load.value, ActionOutcome.FAILED, Map.of("request", "POST http://" + TRITON
                + "/v2/repository/models/fraud-detector/load", "status", "400",
                "body", "{\"error\":\"failed to load 'fraud-detector'\"}"), Duration.ofMinutes(1));

        // then: its answer is on the timeline, and "Restart Triton if multiple failures" runs next
        IncidentEvent answer = pipeline.incidentEvents.readValuesToList().stream()
                .filter(e -> e.getType() == IncidentEventType.ACTION_RESULT).findFirst().orElseThrow();
        assertThat(answer.getDetails()).containsEntry("outcome", "FAILED").containsEntry("reasonCode",
                "unexpected_status").containsEntry("after.status", "400")
                .containsEntry("after.body", "{\"error\":\"failed to load 'fraud-detector'\"}");
        ActionCommand restart = remediations().get(0).value;
        assertThat(restart.getType()).isEqualTo(ActionType.ROLLOUT_RESTART);
        assertThat(restart.getTarget().getNamespace()).isEqualTo("triton-system");
        assertThat(restart.getTarget().getName()).isEqualTo("triton-server");
    }

    @Test
    void neverRestartsADeploymentTheAlertDoesNotNameAsTritons() {
        // given: a ModelLoadFailure whose rule sets no Triton labels
        pipeline.send(alert("f-model", "ModelLoadFailure", "fraud-api", "ml-prod", Map.of("model", "fraud-detector")),
                Duration.ZERO);

        // then: neither step guesses; the incident goes to its escalation chain
        assertThat(remediations()).isEmpty();
        assertThat(pipeline.incidentEvents.readValuesToList()).extracting(IncidentEvent::getMessage).contains(
                "reload-triton-model step load-model skipped: nothing to fill {{label.triton_host}} with",
                "reload-triton-model step restart-triton skipped: nothing to fill {{label.triton_deployment}} with");
    }

    private static Alert alert(String fingerprint, String alertname, String service, String namespace,
            Map<String, String> extraLabels) {
        Map<String, String> labels = new HashMap<>(Map.of("alertname", alertname, "severity", "warning",
                "service", service, "namespace", namespace));
        labels.putAll(extraLabels);
        return Alert.newBuilder(firing(fingerprint, alertname, "warning", service, Map.of())).setLabels(labels)
                .build();
    }

    private void result(ActionCommand command, ActionOutcome outcome, Map<String, String> after, Duration offset) {
        ActionResult result = ActionResult.newBuilder()
                .setCommandId(command.getCommandId()).setIncidentId(command.getIncidentId())
                .setCorrelationKey(command.getCorrelationKey())
                .setType(command.getType()).setTarget(command.getTarget()).setMode(command.getMode())
                .setOutcome(outcome)
                .setReasonCode(outcome == ActionOutcome.SUCCEEDED ? null
                        : command.getType() == ActionType.HTTP_REQUEST ? "unexpected_status" : "not_found")
                .setMessage(outcome.name().toLowerCase()).setBefore(Map.of()).setAfter(after).setAttempts(1)
                .setWorker("worker-1").setStartedAt(T0.plus(offset)).setFinishedAt(T0.plus(offset)).build();
        pipeline.actionResults.pipeInput(command.getCorrelationKey(), result, T0.plus(offset));
    }

    /** Remediation commands issued so far with their action-commands keys (escalation's notifications aside). */
    private List<KeyValue<String, ActionCommand>> remediations() {
        return pipeline.actionCommands.readKeyValuesToList().stream()
                .filter(kv -> kv.value.getType() != ActionType.PAGE && kv.value.getType() != ActionType.NOTIFY
                        && kv.value.getType() != ActionType.TICKET)
                .toList();
    }

    private List<IncidentEventType> types() {
        return pipeline.incidentEvents.readValuesToList().stream().map(IncidentEvent::getType).toList();
    }
}

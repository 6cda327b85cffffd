package io.runstream.processor.detection;

import static io.runstream.processor.detection.DetectionFixture.SERVICE;
import static io.runstream.processor.detection.DetectionFixture.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.runstream.avro.Alert;
import io.runstream.avro.AlertStatus;
import io.runstream.processor.rules.RulesFile;

/**
 * Runbook 000's CircuitBreakerOpen (Resilience4j), runbook 004's ModelLoadFailure (Triton) and OOMKilled
 * (kube-state-metrics; runbook 001's Out of Memory Errors), from the series their exporters publish. A step is
 * evaluated once the service's samples are 30 s past it (step t is seen when the sample at t + 45 s arrives).
 */
class FailureDetectionTest {

    private final DetectionFixture detection = new DetectionFixture(RulesFile.defaults());

    @AfterEach
    void close() {
        detection.close();
    }

    @Test
    void firesCircuitBreakerOpenForTheDependencyWhoseBreakerStaysOpenForMoreThanAMinute() {
        // Runbook 000, Circuit Breaker Open Alert ("remains open for > 1 minute"). Given Resilience4j's breakers
        // for redis (open from 60 s to 285 s) and postgres (open from 60 s to 105 s only).
        for (long second = 0; second <= 345; second += 15) {
            breaker("redis", second >= 60 && second < 300, second);
            breaker("postgres", second >= 60 && second < 120, second);
        }

        // Then redis' breaker fires after its minute (pending from 60 s, firing at 120 s), labelled with the
        // dependency the circuit-breaker-open runbook restarts, and resolves when it closes (300 s); postgres'
        // closed before its minute was up.
        List<Alert> alerts = detection.alerts();
        assertThat(alerts).extracting(alert -> alert.getLabels().get("dependency"), Alert::getStatus,
                Alert::getStartsAt, Alert::getReceivedAt).containsExactly(
                tuple("redis", AlertStatus.FIRING, at(60), at(120)),
                tuple("redis", AlertStatus.RESOLVED, at(60), at(300)));
        assertThat(alerts.get(0).getLabels()).containsEntry("alertname", "CircuitBreakerOpen")
                .containsEntry("severity", "critical").containsEntry("service", SERVICE)
                .doesNotContainKeys("name", "state");
        assertThat(alerts.get(0).getAnnotations())
                .containsEntry("summary", "inference-gateway: the circuit breaker of redis is open");
    }

    @Test
    void resolvesCircuitBreakerOpenOnceTheBreakersSeriesHaveBeenGoneForTheLookback() {
        // Runbook 000, Circuit Breaker Open Alert. Redis' breaker opens at 60 s; at 180 s the application stops
        // exporting it (restarted without it), while the service's other series keep coming.
        for (long second = 0; second <= 570; second += 15) {
            if (second <= 180) {
                breaker("redis", second >= 60, second);
            }
            detection.gauge("up", Map.of("job", SERVICE, "instance", "10.0.0.7:8080"), 1, at(second));
        }

        // Then its last sample counts for Prometheus' 5 m lookback (Runstream drops remote_write's stale markers),
        // and the group's alert resolves, without a value, at the first step without one (180 s + 5 m).
        List<Alert> alerts = detection.alerts();
        assertThat(alerts).extracting(alert -> alert.getLabels().get("dependency"), Alert::getStatus,
                Alert::getReceivedAt).containsExactly(tuple("redis", AlertStatus.FIRING, at(120)),
                tuple("redis", AlertStatus.RESOLVED, at(480)));
        assertThat(alerts.get(1).getAnnotations()).doesNotContainKey("value");
        assertThat(alerts.get(1).getFingerprint()).isEqualTo(alerts.get(0).getFingerprint());
    }

    @Test
    void firesModelLoadFailureForTheModelThatFailedToLoadAndResolvesTenMinutesAfterItsLastFailure() {
        // Runbook 004, ModelLoadFailure: triton_model_load_failures_total > 0. resnet50 fails to load once at
        // 135 s; bert never fails.
        for (long second = 0; second <= 765; second += 15) {
            detection.counter("triton_model_load_failures_total", Map.of("model", "resnet50"),
                    second >= 135 ? 1 : 0, at(second));
            detection.counter("triton_model_load_failures_total", Map.of("model", "bert"), 0, at(second));
        }

        // Then increase(...[10m]) > 0 fires at once (135 s) for resnet50 and resolves once the failure has left
        // the 10 m range (720 s: the samples from 135 s on are all 1).
        List<Alert> alerts = detection.alerts();
        assertThat(alerts).extracting(alert -> alert.getLabels().get("model"), Alert::getStatus,
                Alert::getReceivedAt).containsExactly(tuple("resnet50", AlertStatus.FIRING, at(135)),
                tuple("resnet50", AlertStatus.RESOLVED, at(720)));
        assertThat(alerts.get(0).getLabels()).containsEntry("alertname", "ModelLoadFailure")
                .containsEntry("severity", "warning");
        assertThat(alerts.get(0).getAnnotations()).containsEntry("kind", "increase");
        assertThat(Double.parseDouble(alerts.get(0).getAnnotations().get("value"))).isPositive();
    }

    @Test
    void firesOomKilledForAContainerRestartedAfterAnOomKillButNotForOtherRestarts() {
        // Runbook 004, PodRestart "If OOMKilled"; runbook 001, Out of Memory Errors. Given kube-state-metrics'
        // series of two containers: app is OOMKilled and restarts at 135 s; sidecar restarts at 135 s after an
        // Error exit.
        Map<String, String> app = Map.of("pod", "inference-gateway-7d9f", "container", "app");
        Map<String, String> sidecar = Map.of("pod", "inference-gateway-7d9f", "container", "sidecar");
        for (long second = 0; second <= 765; second += 15) {
            detection.counter("kube_pod_container_status_restarts_total", app, second >= 135 ? 3 : 2, at(second));
            detection.counter("kube_pod_container_status_restarts_total", sidecar, second >= 135 ? 1 : 0,
                    at(second));
            if (second >= 135) {
                detection.gauge("kube_pod_container_status_last_terminated_reason",
                        with(app, "reason", "OOMKilled"), 1, at(second));
                detection.gauge("kube_pod_container_status_last_terminated_reason",
                        with(sidecar, "reason", "Error"), 1, at(second));
            }
        }

        // Then OOMKilled fires at once for app (135 s) and resolves once the restart left the 10 m range (720 s).
        List<Alert> alerts = detection.alerts();
        assertThat(alerts).extracting(alert -> alert.getLabels().get("container"), Alert::getStatus,
                Alert::getReceivedAt).containsExactly(tuple("app", AlertStatus.FIRING, at(135)),
                tuple("app", AlertStatus.RESOLVED, at(720)));
        assertThat(alerts.get(0).getLabels()).containsEntry("alertname", "OOMKilled")
                .containsEntry("severity", "warning").containsEntry("pod", "inference-gateway-7d9f");
        assertThat(alerts.get(0).getAnnotations()).containsEntry("kind", "terminations");
    }

    private void breaker(String name, boolean open, long second) {
        for (String state : new String[] {"closed", "open", "half_open"}) {
            double value = state.equals(open ? "open" : "closed") ? 1 : 0;
            detection.gauge("resilience4j_circuitbreaker_state", Map.of("name", name, "state", state), value,
                    at(second));
        }
    }

    private static Map<String, String> with(Map<String, String> labels, String name, String value) {
        Map<String, String> all = new java.util.HashMap<>(labels);
        all.put(name, value);
        return all;
    }
}

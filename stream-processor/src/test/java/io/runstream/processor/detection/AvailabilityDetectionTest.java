package io.runstream.processor.detection;

import static io.runstream.processor.detection.DetectionFixture.NAMESPACE;
import static io.runstream.processor.detection.DetectionFixture.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.LongToDoubleFunction;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.runstream.avro.Alert;
import io.runstream.avro.AlertStatus;
import io.runstream.avro.MetricKind;
import io.runstream.processor.rules.RulesFile;

/**
 * Runbook 004's ServiceDown ({@code up == 0}), DatabaseDown and GPUUnavailable, runbook 001's MLflow Service Down,
 * and a service gone silent, from the series Prometheus and kube-state-metrics remote-write. A step is evaluated
 * once the service's samples are 30 s past it (so step t is seen when the sample at t + 45 s arrives).
 */
class AvailabilityDetectionTest {

    private final DetectionFixture detection = new DetectionFixture(RulesFile.defaults());

    @AfterEach
    void close() {
        detection.close();
    }

    @Test
    void firesServiceDownForTheScrapeTargetWhoseUpIsZeroForOneMinuteAndResolvesWhenItAnswersAgain() {
        // Runbook 004, ServiceDown: up{job="nimify-api"} == 0. Given two replicas scraped every 15 s, the first
        // failing its scrapes from 135 s to 285 s while the second keeps answering.
        for (long second = 0; second <= 345; second += 15) {
            boolean down = second >= 135 && second < 300;
            up("nimify-api", "nimify-api", "10.0.0.5:8000", down ? 0 : 1, second);
            up("nimify-api", "nimify-api", "10.0.0.6:8000", 1, second);
        }

        // Then ServiceDown (critical) fires for that target after its 1 m (pending from 135 s, firing at 195 s)
        // and resolves at the first step it answers again (300 s).
        List<Alert> alerts = detection.alerts();
        assertThat(alerts).extracting(Alert::getStatus, Alert::getStartsAt, Alert::getReceivedAt).containsExactly(
                tuple(AlertStatus.FIRING, at(135), at(195)), tuple(AlertStatus.RESOLVED, at(135), at(300)));
        assertThat(alerts.get(0).getLabels()).containsExactlyInAnyOrderEntriesOf(Map.of("alertname", "ServiceDown",
                "severity", "critical", "service", "nimify-api", "namespace", NAMESPACE, "job", "nimify-api",
                "instance", "10.0.0.5:8000"));
        assertThat(alerts.get(0).getAnnotations()).containsEntry("kind", "gauge").containsEntry("value", "0")
                .containsEntry("summary", "nimify-api: nimify-api at 10.0.0.5:8000 does not answer its scrapes");
        assertThat(alerts.get(1).getFingerprint()).isEqualTo(alerts.get(0).getFingerprint());
    }

    @Test
    void doesNotFireServiceDownForAScrapeFailingForLessThanAMinute() {
        // Runbook 004, ServiceDown: three failed scrapes (45 s) are not an outage.
        for (long second = 0; second <= 300; second += 15) {
            up("nimify-api", "nimify-api", "10.0.0.5:8000", second >= 60 && second < 105 ? 0 : 1, second);
        }

        assertThat(detection.alerts()).isEmpty();
    }

    @Test
    void firesServiceDownLabelledJobMlflowWhenMlflowStopsAnswering() {
        // Runbook 001, MLflow Service Down: the mlflow job's target stops answering from 60 s.
        for (long second = 0; second <= 165; second += 15) {
            up("mlflow", "mlflow", "mlflow.mlflow.svc:5000", second >= 60 ? 0 : 1, second);
        }

        assertThat(detection.alerts()).singleElement().satisfies(alert -> {
            assertThat(alert.getStatus()).isEqualTo(AlertStatus.FIRING);
            assertThat(alert.getLabels()).containsEntry("alertname", "ServiceDown").containsEntry("job", "mlflow")
                    .containsEntry("service", "mlflow").containsEntry("severity", "critical");
            assertThat(alert.getAnnotations().get("runbook")).contains("001 MLflow Service Down");
            assertThat(alert.getStartsAt()).isEqualTo(at(60));
            assertThat(alert.getReceivedAt()).isEqualTo(at(120));
        });
    }

    @Test
    void firesDatabaseDownBesideServiceDownWhenPostgresStopsAnswering() {
        // Runbook 004, DatabaseDown: up{job="postgres"} == 0 (escalation: the DBA at once).
        for (long second = 0; second <= 165; second += 15) {
            up("postgres", "postgres", "postgres-0:9187", second >= 60 ? 0 : 1, second);
        }

        assertThat(detection.alerts()).extracting(alert -> alert.getLabels().get("alertname"),
                alert -> alert.getLabels().get("instance"), Alert::getStatus).containsExactlyInAnyOrder(
                tuple("ServiceDown", "postgres-0:9187", AlertStatus.FIRING),
                tuple("DatabaseDown", "postgres-0:9187", AlertStatus.FIRING));
    }

    @Test
    void raisesServiceSilentForAServiceThatStopsSendingWhileItsOtherAlertsResolveForLackOfData() {
        // Given the inference gateway with 12 % errors (critical HighErrorRate fires at 135 s) and up = 1 from its
        // scrapes; at 180 s everything stops: the target is gone, and 10 minutes pass on the wall clock.
        double ok = 100_000;
        double failed = 5_000;
        for (long second = 0; second <= 180; second += 15) {
            detection.requests(at(second), ok + 88 * second, failed + 12 * second);
            up(DetectionFixture.SERVICE, "inference-gateway", "10.0.0.7:8080", 1, second);
        }
        for (int i = 0; i < 40; i++) {
            detection.advanceWallClock(Duration.ofSeconds(15));
        }

        // Then, as in ErrorRateDetectionTest#resolvesTheAlertsOfAServiceThatStopsSendingSamples, HighErrorRate
        // resolves once its range holds too few samples (465 s), and absent_over_time(up[5m]) holds from 480 s
        // (180 s + 5 m): the service is reported silent, not healthy.
        List<Alert> alerts = detection.alerts();
        assertThat(alerts).extracting(alert -> alert.getLabels().get("alertname"),
                alert -> alert.getLabels().get("severity"), Alert::getStatus, Alert::getReceivedAt).containsExactly(
                tuple("HighErrorRate", "critical", AlertStatus.FIRING, at(135)),
                tuple("HighErrorRate", "warning", AlertStatus.FIRING, at(315)),
                tuple("HighErrorRate", "warning", AlertStatus.RESOLVED, at(465)),
                tuple("HighErrorRate", "critical", AlertStatus.RESOLVED, at(465)),
                tuple("ServiceSilent", "warning", AlertStatus.FIRING, at(480)));
        assertThat(alerts.get(4).getStartsAt()).isEqualTo(at(480));
        assertThat(alerts.get(4).getAnnotations()).containsEntry("kind", "absent").containsEntry("value", "1");
        assertThat(detection.health(DetectionFixture.SERVICE).getErrorRate()).isNull();
        assertThat(detection.health(DetectionFixture.SERVICE).getFiringAlerts()).containsExactly("ServiceSilent");

        // When its scrapes return (wall clock and samples at 795 s on), ServiceSilent resolves at the first step
        // whose 5 m range holds a sample again.
        for (long second = 795; second <= 840; second += 15) {
            up(DetectionFixture.SERVICE, "inference-gateway", "10.0.0.7:8080", 1, second);
        }
        assertThat(detection.alerts()).singleElement().satisfies(resolved -> {
            assertThat(resolved.getLabels()).containsEntry("alertname", "ServiceSilent");
            assertThat(resolved.getStatus()).isEqualTo(AlertStatus.RESOLVED);
            assertThat(resolved.getEndsAt()).isEqualTo(at(795));
        });
    }

    @Test
    void raisesNoServiceSilentForAServiceThatNeverSentUp() {
        // A service whose samples carry no up series (pushed, or up dropped by write_relabel_configs) is not
        // silent: absent needs the service to have sent the series before.
        for (long second = 0; second <= 180; second += 15) {
            detection.requests(at(second), 100_000 + 100 * second, 0);
        }
        for (int i = 0; i < 40; i++) {
            detection.advanceWallClock(Duration.ofSeconds(15));
        }

        assertThat(detection.alerts()).isEmpty();
    }

    @Test
    void firesGpuUnavailableWhenNoNodeHasAnAllocatableGpuForOneMinute() {
        // Runbook 004, GPUUnavailable ("All GPUs offline"): kube-state-metrics' allocatable nvidia_com_gpu of two
        // nodes; node 1's device plugin fails at 120 s, node 2's at 180 s, node 2 comes back at 360 s.
        scrape(0, 405, second -> second >= 120 ? 0 : 4, "gpu-node-1");
        // Then one node down is not "all GPUs"; both down from 180 s fire after 1 m (240 s), and node 2's return
        // resolves it (360 s). The nodes' CPUs (resource="cpu") never count.
        List<Alert> alerts = detection.alerts();
        assertThat(alerts).extracting(alert -> alert.getLabels().get("alertname"), Alert::getStatus,
                Alert::getStartsAt, Alert::getReceivedAt).containsExactly(
                tuple("GPUUnavailable", AlertStatus.FIRING, at(180), at(240)),
                tuple("GPUUnavailable", AlertStatus.RESOLVED, at(180), at(360)));
        assertThat(alerts.get(0).getLabels()).containsEntry("severity", "critical");
        assertThat(alerts.get(0).getAnnotations()).containsEntry("value", "0");
    }

    /** kube_node_status_allocatable of two GPU nodes (node 2 without GPUs from 180 s to 345 s) and their CPUs. */
    private void scrape(long fromSecond, long toSecond, LongToDoubleFunction nodeOneGpus, String nodeOne) {
        for (long second = fromSecond; second <= toSecond; second += 15) {
            allocatable(nodeOne, "nvidia_com_gpu", nodeOneGpus.applyAsDouble(second), second);
            allocatable("gpu-node-2", "nvidia_com_gpu", second >= 180 && second < 360 ? 0 : 8, second);
            allocatable(nodeOne, "cpu", 32, second);
        }
    }

    private void allocatable(String node, String resource, double value, long second) {
        detection.sample(DetectionFixture.SERVICE, "kube_node_status_allocatable", MetricKind.GAUGE,
                Map.of("node", node, "resource", resource, "unit", resource.equals("cpu") ? "core" : "integer"),
                value, at(second));
    }

    private void up(String service, String job, String instance, double value, long second) {
        detection.sample(service, "up", MetricKind.GAUGE, Map.of("job", job, "instance", instance), value,
                at(second));
    }
}

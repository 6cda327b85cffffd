package io.runstream.processor.detection;

import static io.runstream.processor.detection.DetectionFixture.SERVICE;
import static io.runstream.processor.detection.DetectionFixture.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.runstream.avro.Alert;
import io.runstream.avro.AlertStatus;
import io.runstream.processor.rules.RulesFile;
import io.runstream.processor.rules.RulesFiles;

/** Runbook 004's HighLatency, HighMemoryUsage, HighDiskUsage and runbook 003's CPU saturation, from raw series. */
class LatencyAndResourceDetectionTest {

    private static final String[] LE = {"0.1", "0.5", "1", "2.5", "+Inf"};
    /** Observations per second at or below each bound (cumulative): p50 0.1 s, p95 1.9375 s, p99 2.5 s. */
    private static final double[] CUMULATIVE_PER_SECOND = {50, 80, 90, 98, 100};

    private final DetectionFixture detection = new DetectionFixture(RulesFile.defaults());

    @AfterEach
    void close() {
        detection.close();
    }

    @Test
    void computesP95LikeHistogramQuantile() {
        // Given latency buckets whose rates put rank 95 of 100 in (1, 2.5]: 1 + 1.5 x 5/8 = 1.9375 s, as
        // histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket[5m]))) gives.
        for (long second = 0; second <= 360; second += 15) {
            for (int i = 0; i < LE.length; i++) {
                detection.counter("http_request_duration_seconds_bucket", Map.of("le", LE[i]),
                        CUMULATIVE_PER_SECOND[i] * (1_000 + second), at(second));
            }
        }

        // Then HighLatency (p95 > 1 s for 5 m) fires from 15 s at 315 s with the measured p95.
        assertThat(detection.alerts()).singleElement().satisfies(alert -> {
            assertThat(alert.getLabels()).containsEntry("alertname", "HighLatency").containsEntry("severity", "warning");
            assertThat(alert.getAnnotations()).containsEntry("value", "1.9375").containsEntry("kind", "latency_quantile");
            assertThat(alert.getStartsAt()).isEqualTo(at(15));
            assertThat(alert.getReceivedAt()).isEqualTo(at(315));
        });
        var health = detection.health(SERVICE);
        assertThat(health.getLatencyP50Seconds()).isCloseTo(0.1, within(1e-9));
        assertThat(health.getLatencyP95Seconds()).isCloseTo(1.9375, within(1e-9));
        assertThat(health.getLatencyP99Seconds()).isCloseTo(2.5, within(1e-9));
        assertThat(health.getFiringAlerts()).containsExactly("HighLatency");
    }

    @Test
    void firesMemoryDiskAndCpuRulesFromGaugesOfTheSameContainer() {
        Map<String, String> app = Map.of("pod", "inference-gateway-7d9f", "container", "app");
        Map<String, String> unlimited = Map.of("pod", "inference-gateway-7d9f", "container", "sidecar");
        Map<String, String> volume = Map.of("device", "/dev/sda1", "mountpoint", "/models");
        for (long second = 0; second <= 630; second += 15) {
            detection.gauge("container_memory_usage_bytes", app, 0.95 * (1 << 30), at(second));
            detection.gauge("container_spec_memory_limit_bytes", app, 1 << 30, at(second));
            // cAdvisor reports a container without a limit as limit 0: not an infinite ratio.
            detection.gauge("container_memory_usage_bytes", unlimited, 5e9, at(second));
            detection.gauge("container_spec_memory_limit_bytes", unlimited, 0, at(second));
            detection.gauge("node_filesystem_size_bytes", volume, 100e9, at(second));
            detection.gauge("node_filesystem_free_bytes", volume, 12e9, at(second));
            // 0.93 CPU seconds per second against a one-core limit (quota 100000 us per 100000 us period).
            detection.counter("container_cpu_usage_seconds_total", app, 5_000 + 0.93 * second, at(second));
            detection.gauge("container_spec_cpu_quota", app, 100_000, at(second));
            detection.gauge("container_spec_cpu_period", app, 100_000, at(second));
        }

        // Gauges hold from the first step (0 s) and fire after their 5 m. rate() divides by the whole 5 m range,
        // so with less than 5 m of samples it reads low (0.86 at 270 s); it passes 0.9 at 285 s, where the first
        // sample is within 1.1 intervals of the range start and extrapolation covers the full range.
        List<Alert> alerts = detection.alerts();
        assertThat(alerts).extracting(alert -> alert.getLabels().get("alertname"))
                .containsExactly("HighMemoryUsage", "HighDiskUsage", "HighCpuUsage");
        assertThat(alerts).allSatisfy(alert -> assertThat(alert.getStatus()).isEqualTo(AlertStatus.FIRING));
        assertThat(alert(alerts, "HighMemoryUsage").getAnnotations()).containsEntry("value", "0.95");
        assertThat(alert(alerts, "HighMemoryUsage").getStartsAt()).isEqualTo(at(0));
        assertThat(alert(alerts, "HighDiskUsage").getAnnotations()).containsEntry("value", "0.88");
        assertThat(alert(alerts, "HighCpuUsage").getAnnotations()).containsEntry("value", "0.93");
        assertThat(alert(alerts, "HighCpuUsage").getStartsAt()).isEqualTo(at(285));
        assertThat(alert(alerts, "HighCpuUsage").getReceivedAt()).isEqualTo(at(585));
        var health = detection.health(SERVICE);
        assertThat(health.getMemoryRatio()).isCloseTo(0.95, within(1e-9));
        assertThat(health.getDiskRatio()).isCloseTo(0.88, within(1e-9));
        assertThat(health.getCpuRatio()).isCloseTo(0.93, within(1e-9));
    }

    @Test
    void firesPodRestartWhenAContainerKeepsRestarting() {
        // Given a rules file whose PodRestart looks at 5 m and fires above one restart per 100 s, at once.
        RulesFile rules = RulesFiles.parse("rules.yaml", """
                rules:
                  - name: PodRestart
                    kind: restart_rate
                    range: 5m
                    thresholds: [{severity: info, above: 0.01, for: 0s}]
                """);
        try (DetectionFixture crashLooping = new DetectionFixture(rules)) {
            // When the container restarts every 30 s (one restart per 30 s = 0.0333/s) for 6 minutes.
            Map<String, String> container = Map.of("pod", "inference-gateway-7d9f", "container", "app");
            for (long second = 0; second <= 360; second += 15) {
                crashLooping.counter("kube_pod_container_status_restarts_total", container, 3 + second / 30,
                        at(second));
            }

            // Then PodRestart fires once the 5 m rate passes 0.01/s, and health reports the rate.
            assertThat(crashLooping.alerts()).singleElement().satisfies(alert -> {
                assertThat(alert.getLabels()).containsEntry("alertname", "PodRestart")
                        .containsEntry("severity", "info");
                assertThat(alert.getAnnotations()).containsEntry("kind", "restart_rate");
                assertThat(Double.parseDouble(alert.getAnnotations().get("value"))).isGreaterThan(0.01);
            });
            assertThat(crashLooping.health(SERVICE).getRestartRate()).isCloseTo(1 / 30.0, within(0.004));
        }
    }

    private static Alert alert(List<Alert> alerts, String alertname) {
        return alerts.stream().filter(alert -> alert.getLabels().get("alertname").equals(alertname)).findFirst()
                .orElseThrow();
    }
}

package io.runstream.processor.detection;

import static io.runstream.processor.detection.DetectionFixture.NAMESPACE;
import static io.runstream.processor.detection.DetectionFixture.SERVICE;
import static io.runstream.processor.detection.DetectionFixture.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.runstream.avro.Alert;
import io.runstream.avro.AlertSource;
import io.runstream.avro.AlertStatus;
import io.runstream.avro.MetricKind;
import io.runstream.avro.ServiceHealth;
import io.runstream.processor.rules.RulesFile;

/**
 * Runbook 003's HighErrorRate from raw request counters: warning above 1 % for 5 m, critical above 5 % for 2 m,
 * over a 5 m range, evaluated every 15 s once samples are 30 s past the step.
 */
class ErrorRateDetectionTest {

    private final DetectionFixture detection = new DetectionFixture(RulesFile.defaults());
    /** Cumulative request counters of the service; they start high, as a long-running service's do. */
    private double ok = 100_000;
    private double failed = 5_000;

    @AfterEach
    void close() {
        detection.close();
    }

    @Test
    void firesHighErrorRateAfterForDuration() {
        // Given 100 req/s with 12 % failing from 0 s: the ratio is computable from the second scrape (15 s) on,
        // so critical is pending from 15 s and due at 15 s + 2 m = 135 s, evaluated once samples pass 165 s.
        scrape(0, 165, 88, 12);
        assertThat(detection.alerts()).isEmpty();

        scrape(180, 180, 88, 12);

        List<TestRecord<String, Alert>> fired = detection.alertRecords();
        assertThat(fired).hasSize(1);
        Alert critical = fired.get(0).value();
        assertThat(critical.getStatus()).isEqualTo(AlertStatus.FIRING);
        assertThat(critical.getLabels()).containsExactlyInAnyOrderEntriesOf(Map.of("alertname", "HighErrorRate",
                "service", SERVICE, "namespace", NAMESPACE, "severity", "critical"));
        assertThat(critical.getAnnotations()).containsEntry("value", "0.12").containsEntry("kind", "error_ratio")
                .containsEntry("summary", "inference-gateway: 0.12 of requests fail with 5xx (threshold 0.05)");
        assertThat(critical.getStartsAt()).isEqualTo(at(15));
        assertThat(critical.getEndsAt()).isNull();
        assertThat(critical.getReceivedAt()).isEqualTo(at(135));
        assertThat(critical.getSource()).isEqualTo(AlertSource.DETECTION);
        assertThat(critical.getFingerprint()).isEqualTo(Fingerprints.of(critical.getLabels()));
        assertThat(fired.get(0).key()).isEqualTo(critical.getFingerprint());
        assertThat(fired.get(0).getRecordTime()).isEqualTo(at(135));

        // Warning holds 5 m: pending from 15 s, firing at 315 s, evaluated once samples pass 345 s.
        scrape(195, 345, 88, 12);
        assertThat(detection.alerts()).isEmpty();
        scrape(360, 360, 88, 12);
        assertThat(detection.alerts()).singleElement().satisfies(warning -> {
            assertThat(warning.getLabels()).containsEntry("severity", "warning");
            assertThat(warning.getStartsAt()).isEqualTo(at(15));
            assertThat(warning.getReceivedAt()).isEqualTo(at(315));
        });
    }

    @Test
    void doesNotFireWhenTheConditionStopsHoldingBeforeItsForDuration() {
        // A 30 s burst of 12 % failures: the 5 m ratio passes 5 % at once but, diluted by healthy traffic, is
        // back under it (2.7 % at 135 s) before critical's 2 m are up, so critical stays pending and is dropped.
        scrape(0, 30, 88, 12);
        scrape(45, 600, 100, 0);

        assertThat(detection.alerts()).extracting(alert -> alert.getLabels().get("severity"))
                .doesNotContain("critical");
    }

    @Test
    void resolvesWhenErrorRateFallsBack() {
        scrape(0, 165, 88, 12);
        scrape(180, 900, 100, 0);

        List<Alert> alerts = detection.alerts();
        assertThat(alerts).extracting(alert -> alert.getLabels().get("severity"), Alert::getStatus).containsExactly(
                tuple("critical", AlertStatus.FIRING), tuple("warning", AlertStatus.FIRING),
                tuple("critical", AlertStatus.RESOLVED), tuple("warning", AlertStatus.RESOLVED));
        Alert criticalResolved = alerts.get(2);
        assertThat(criticalResolved.getFingerprint()).isEqualTo(alerts.get(0).getFingerprint());
        assertThat(criticalResolved.getStartsAt()).isEqualTo(at(15));
        // The failures leave the 5 m range gradually: under 5 % some time after they stopped at 180 s,
        // and all gone (0 %) by 180 s + 5 m.
        assertThat(criticalResolved.getEndsAt()).isAfter(at(180)).isBeforeOrEqualTo(at(480));
        assertThat(alerts.get(3).getEndsAt()).isAfter(criticalResolved.getEndsAt()).isBeforeOrEqualTo(at(480));
        assertThat(detection.health(SERVICE).getErrorRate()).isEqualTo(0.0);
    }

    @Test
    void resolvesTheAlertsOfAServiceThatStopsSendingSamples() {
        // Given critical fired, then the service's samples stop at 180 s and 10 minutes pass on the wall clock.
        scrape(0, 180, 88, 12);
        assertThat(detection.alerts()).hasSize(1);
        for (int i = 0; i < 40; i++) {
            detection.advanceWallClock(Duration.ofSeconds(15));
        }

        // Then, silent for 5 m, its event time is carried forward by the silence, as Prometheus evaluates on its
        // clock: its last samples stay in the 5 m range until 465 s (so warning still completes its 5 m at 315 s),
        // then too few are left for a rate and both resolve, without a measured value.
        List<Alert> alerts = detection.alerts();
        assertThat(alerts).extracting(alert -> alert.getLabels().get("severity"), Alert::getStatus,
                Alert::getReceivedAt).containsExactly(tuple("warning", AlertStatus.FIRING, at(315)),
                tuple("warning", AlertStatus.RESOLVED, at(465)), tuple("critical", AlertStatus.RESOLVED, at(465)));
        assertThat(alerts.get(2).getAnnotations()).doesNotContainKey("value")
                .containsEntry("summary", "inference-gateway: no data of requests fail with 5xx (threshold 0.05)");
        assertThat(alerts).allSatisfy(alert -> assertThat(alert.getLabels()).containsEntry("service", SERVICE));
        // Its health no longer shows the old error rate as current.
        assertThat(detection.health(SERVICE).getErrorRate()).isNull();
        assertThat(detection.health(SERVICE).getFiringAlerts()).isEmpty();
    }

    @Test
    void doesNotMistakeAServiceWhoseClockLagsForASilentOne() {
        // Given the service's samples carry times 10 minutes behind another service's on the same partition,
        // both sending every 15 s.
        for (long second = 0; second <= 300; second += 15) {
            detection.requests("feature-store", at(600 + second), 10_000 + 100.0 * second, 10);
            detection.requests(at(second), 100_000 + 88.0 * second, 5_000 + 12.0 * second);
        }

        // Then its own event time drives its rules: nothing dropped, critical fires as it would alone.
        assertThat(detection.metrics.lateSamplesDropped(SERVICE)).isZero();
        assertThat(detection.alerts()).singleElement().satisfies(alert -> {
            assertThat(alert.getLabels()).containsEntry("service", SERVICE).containsEntry("severity", "critical");
            assertThat(alert.getStartsAt()).isEqualTo(at(15));
            assertThat(alert.getReceivedAt()).isEqualTo(at(135));
        });
    }

    @Test
    void keepsTheStoredWindowBoundedByTheLongestRange() {
        // Given two hours of scrapes.
        scrape(0, 7200, 97, 3);

        // Then the store holds the two series and the segments of the last 15 m (PodRestart's range, the
        // longest) at most: per 15 s step, the evaluation's segment and at most one wall-clock flush.
        org.apache.kafka.streams.state.KeyValueStore<org.apache.kafka.common.utils.Bytes, byte[]> stored =
                detection.driver.getKeyValueStore(DetectionStage.SAMPLES_STORE);
        long entries = 0;
        try (var all = stored.all()) {
            while (all.hasNext()) {
                all.next();
                entries++;
            }
        }
        assertThat(entries).isBetween(2L + 20, 2L + 2 * (15 * 4 + 1));
    }

    @Test
    void dropsASampleStampedFarAheadAndKeepsEveryServiceOnItsOwnTime() {
        // Given a sample stamped an hour ahead of the wall clock, from this service and from another one.
        scrape(0, 60, 88, 12);
        detection.sampleStampedAhead(SERVICE, "http_requests_total", MetricKind.COUNTER, Map.of("status", "200"),
                1e9, at(3660));
        detection.sampleStampedAhead("feature-store", "http_requests_total", MetricKind.COUNTER,
                Map.of("status", "200"), 10_000, at(3660));
        scrape(75, 180, 88, 12);

        // Then both are dropped and counted, and this service's steps are untouched: critical fires on its time.
        assertThat(detection.metrics.futureSamplesDropped(SERVICE)).isEqualTo(1);
        assertThat(detection.metrics.futureSamplesDropped("feature-store")).isEqualTo(1);
        assertThat(detection.metrics.lateSamplesDropped(SERVICE)).isZero();
        assertThat(detection.alerts()).singleElement().satisfies(alert -> {
            assertThat(alert.getLabels()).containsEntry("service", SERVICE).containsEntry("severity", "critical");
            assertThat(alert.getReceivedAt()).isEqualTo(at(135));
        });
    }

    @Test
    void handlesCounterResetLikePrometheus() {
        // Given the pod restarts at 80 s: both counters start again from zero, 12 % still failing.
        scrape(0, 75, 88, 12);
        ok = 0;
        failed = 0;
        scrape(90, 180, 88, 12);

        // Then the reset adds the pre-reset count back (Prometheus' rate): the ratio stays 12 %, and critical
        // fires exactly as without the restart.
        assertThat(detection.alerts()).singleElement().satisfies(alert -> {
            assertThat(alert.getAnnotations()).containsEntry("value", "0.12");
            assertThat(alert.getStartsAt()).isEqualTo(at(15));
            assertThat(alert.getReceivedAt()).isEqualTo(at(135));
        });
        assertThat(detection.health(SERVICE).getErrorRate()).isCloseTo(0.12, within(1e-9));
    }

    @Test
    void writesTheServiceHealthOfEachEvaluation() {
        scrape(0, 120, 97, 3);

        var health = detection.health(SERVICE);
        // The last evaluated step is 75 s: the newest sample (120 s) minus the 30 s grace, rounded down.
        assertThat(health.getWindowEnd()).isEqualTo(at(75));
        assertThat(health.getWindowStart()).isEqualTo(at(75).minusSeconds(300));
        assertThat(health.getUpdatedAt()).isEqualTo(at(75));
        assertThat(health.getNamespace()).isEqualTo(NAMESPACE);
        assertThat(health.getErrorRate()).isCloseTo(0.03, within(1e-9));
        assertThat(health.getLatencyP95Seconds()).isNull();
        assertThat(health.getFiringAlerts()).isEmpty();
    }

    /** One scrape every 15 s from {@code fromSecond} to {@code toSecond} inclusive, at the given per-second rates. */
    @Test
    void keepsTheLastThirtyMinutesOfTheServiceHealthForCharts() {
        // 45 minutes of 3 % failures, then 12 %: one health entry per 15 s evaluation step.
        scrape(0, 2400, 97, 3);
        scrape(2415, 2700, 88, 12);

        List<ServiceHealth> history = detection.history(SERVICE, 500);
        // Kept: the newest step, which the health store also holds, and the 30 minutes before it.
        Instant newest = detection.health(SERVICE).getWindowEnd();
        assertThat(history).extracting(ServiceHealth::getWindowEnd).first().isEqualTo(newest.minusSeconds(1800));
        assertThat(history).extracting(ServiceHealth::getWindowEnd).last().isEqualTo(newest);
        assertThat(history).hasSize(121)
                .isSortedAccordingTo(java.util.Comparator.comparing(ServiceHealth::getWindowEnd));
        assertThat(history.get(0).getErrorRate()).isCloseTo(0.03, within(1e-9));
        assertThat(history.get(120).getErrorRate()).isGreaterThan(0.03);
        assertThat(detection.history(SERVICE, 10)).hasSize(10).last().isEqualTo(history.get(120));
        assertThat(detection.history("inference-gateway-canary", 500)).isEmpty();
    }

    private void scrape(long fromSecond, long toSecond, double okPerSecond, double failedPerSecond) {
        for (long second = fromSecond; second <= toSecond; second += 15) {
            Instant time = at(second);
            if (second > fromSecond || second > 0) {
                ok += okPerSecond * 15;
                failed += failedPerSecond * 15;
            }
            detection.requests(time, ok, failed);
        }
    }
}

package io.runstream.processor.detection;

import static io.runstream.processor.detection.DetectionFixture.NAMESPACE;
import static io.runstream.processor.detection.DetectionFixture.SERVICE;
import static io.runstream.processor.detection.DetectionFixture.at;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.runstream.avro.Alert;
import io.runstream.avro.AlertStatus;
import io.runstream.processor.rules.RulesFile;

/** Runbook 001: DataDrift when the drift share passes 0.3; ModelAccuracyDegraded when accuracy is down > 5 %. */
class DriftDetectionTest {

    private static final String MODEL = "fraud-scorer";

    private final DetectionFixture detection = new DetectionFixture(RulesFile.defaults());

    @AfterEach
    void close() {
        detection.close();
    }

    @Test
    void raisesDataDriftAboveThreshold() {
        detection.driftReport(MODEL, 0.25, null, null, at(0));
        assertThat(detection.alerts()).isEmpty();

        detection.driftReport(MODEL, 0.45, null, null, at(3600));

        Alert drift = single(detection.alerts());
        assertThat(drift.getStatus()).isEqualTo(AlertStatus.FIRING);
        assertThat(drift.getLabels()).containsExactlyInAnyOrderEntriesOf(Map.of("alertname", "DataDrift",
                "model", MODEL, "service", SERVICE, "namespace", NAMESPACE, "severity", "warning",
                "model_version", "v7"));
        assertThat(drift.getAnnotations()).containsEntry("value", "0.45").containsEntry("kind", "drift_share")
                .containsEntry("summary", "model fraud-scorer: 0.45 of its features drifted (threshold 0.3)");
        assertThat(drift.getStartsAt()).isEqualTo(at(3600));
        // the model's version describes the alert, it is not part of its identity
        assertThat(drift.getFingerprint()).isEqualTo(Fingerprints.of(Map.of("alertname", "DataDrift", "model", MODEL,
                "service", SERVICE, "namespace", NAMESPACE, "severity", "warning")));
    }

    @Test
    void resolvesDataDriftWhenTheNextReportIsBackUnder() {
        detection.driftReport(MODEL, 0.45, null, null, at(0));
        detection.driftReport(MODEL, 0.5, null, null, at(3600));
        detection.driftReport(MODEL, 0.1, null, null, at(7200));

        List<Alert> alerts = detection.alerts();
        assertThat(alerts).extracting(Alert::getStatus).containsExactly(AlertStatus.FIRING, AlertStatus.RESOLVED);
        assertThat(alerts.get(1).getFingerprint()).isEqualTo(alerts.get(0).getFingerprint());
        assertThat(alerts.get(1).getStartsAt()).isEqualTo(at(0));
        assertThat(alerts.get(1).getEndsAt()).isEqualTo(at(7200));
    }

    @Test
    void raisesModelAccuracyDegradedWhenAccuracyFallsMoreThanFivePointsBelowReference() {
        detection.driftReport(MODEL, 0.1, 0.90, 0.92, at(0));
        assertThat(detection.alerts()).isEmpty();

        detection.driftReport(MODEL, 0.1, 0.85, 0.92, at(3600));

        Alert degraded = single(detection.alerts());
        assertThat(degraded.getLabels()).containsEntry("alertname", "ModelAccuracyDegraded")
                .containsEntry("severity", "critical").containsEntry("model", MODEL);
        assertThat(degraded.getAnnotations()).containsEntry("value", "0.07").containsEntry("kind", "accuracy_drop");
    }

    @Test
    void keepsAccuracyStateWhenAReportCarriesNoAccuracy() {
        detection.driftReport(MODEL, 0.1, 0.80, 0.92, at(0));
        detection.driftReport(MODEL, 0.1, null, null, at(3600));
        detection.driftReport(MODEL, 0.1, 0.91, 0.92, at(7200));

        assertThat(detection.alerts()).extracting(Alert::getStatus, alert -> alert.getEndsAt())
                .containsExactly(org.assertj.core.groups.Tuple.tuple(AlertStatus.FIRING, null),
                        org.assertj.core.groups.Tuple.tuple(AlertStatus.RESOLVED, at(7200)));
    }

    @Test
    void dropsAReportOlderThanTheModelsLastOne() {
        detection.driftReport(MODEL, 0.45, null, null, at(3600));
        detection.driftReport(MODEL, 0.1, null, null, at(0));

        assertThat(detection.alerts()).extracting(Alert::getStatus).containsExactly(AlertStatus.FIRING);
        assertThat(detection.metrics.driftReportsDropped(MODEL)).isEqualTo(1);
    }

    @Test
    void namesTheVersionReportedBeforeTheCurrentOneOnModelAccuracyDegraded() {
        // given: the model served as version 7, then version 8 is rolled out and its accuracy drops
        detection.driftReport(MODEL, "7", 0.1, 0.91, 0.92, at(0));
        detection.driftReport(MODEL, "7", 0.1, 0.92, 0.92, at(3600));

        detection.driftReport(MODEL, "8", 0.1, 0.80, 0.92, at(7200));

        // then: the alert says which version to go back to (runbook 001, Model Performance Degradation, Step 3)
        Alert degraded = single(detection.alerts());
        assertThat(degraded.getLabels()).containsEntry("alertname", "ModelAccuracyDegraded")
                .containsEntry("model_version", "8").containsEntry("previous_model_version", "7");
    }

    @Test
    void namesNoPreviousVersionWhileTheModelWasOnlyReportedUnderOne() {
        detection.driftReport(MODEL, "8", 0.1, 0.92, 0.92, at(0));
        detection.driftReport(MODEL, "8", 0.1, 0.80, 0.92, at(3600));

        assertThat(single(detection.alerts()).getLabels()).containsEntry("model_version", "8")
                .doesNotContainKey("previous_model_version");
    }

    @Test
    void resolvesTheSameAlertWhenTheModelIsReportedUnderANewVersionMeanwhile() {
        detection.driftReport(MODEL, "7", 0.1, 0.92, 0.92, at(0));
        detection.driftReport(MODEL, "8", 0.1, 0.80, 0.92, at(3600));

        detection.driftReport(MODEL, "7", 0.1, 0.92, 0.92, at(7200));

        List<Alert> alerts = detection.alerts();
        assertThat(alerts).extracting(Alert::getStatus).containsExactly(AlertStatus.FIRING, AlertStatus.RESOLVED);
        assertThat(alerts.get(1).getFingerprint()).isEqualTo(alerts.get(0).getFingerprint());
        assertThat(alerts.get(1).getLabels()).containsEntry("model_version", "7")
                .containsEntry("previous_model_version", "8");
    }

    private static Alert single(List<Alert> alerts) {
        assertThat(alerts).hasSize(1);
        return alerts.get(0);
    }
}

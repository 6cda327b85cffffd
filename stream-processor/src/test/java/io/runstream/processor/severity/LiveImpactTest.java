package io.runstream.processor.severity;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.runstream.avro.Incident;
import io.runstream.avro.IncidentState;
import io.runstream.avro.ServiceHealth;
import io.runstream.avro.Severity;
import io.runstream.schemas.RunstreamSerdes;

/** Runbook 001, Severity Levels: the impact bands (> 10 % P1, 2-10 % P2) and how a measurement ranks an incident. */
class LiveImpactTest {

    private static final SeverityPolicy RUNBOOKS = SeverityPolicy.defaults();
    private static final Instant T0 = Instant.parse("2026-11-22T18:00:00Z");

    static {
        // Copying an Avro record resolves its enum classes, which Avro trusts once our wire format is loaded.
        RunstreamSerdes.avro().serde(Incident.class);
    }

    @Test
    void bandsFollowTheRunbooksErrorRateThresholds() {
        assertThat(LiveImpact.band(RUNBOOKS, health(null))).isZero();
        assertThat(LiveImpact.band(RUNBOOKS, health(0.01))).isZero();
        assertThat(LiveImpact.band(RUNBOOKS, health(0.02))).isZero();
        assertThat(LiveImpact.band(RUNBOOKS, health(0.06))).isEqualTo(1);
        assertThat(LiveImpact.band(RUNBOOKS, health(0.10))).isEqualTo(1);
        assertThat(LiveImpact.band(RUNBOOKS, health(0.30))).isEqualTo(2);
    }

    @Test
    void aServicesFirstHealthIsAChangeOnlyWhenItIsInABand() {
        assertThat(LiveImpact.bandChanged(RUNBOOKS, null, health(0.01))).isFalse();
        assertThat(LiveImpact.bandChanged(RUNBOOKS, null, health(0.06))).isTrue();
        assertThat(LiveImpact.bandChanged(RUNBOOKS, health(0.06), health(0.09))).isFalse();
        assertThat(LiveImpact.bandChanged(RUNBOOKS, health(0.09), health(0.12))).isTrue();
        assertThat(LiveImpact.bandChanged(RUNBOOKS, health(0.12), health(0.08))).isTrue();
    }

    @Test
    void aMeasurementRaisesTheIncidentAndKeepsItsPeaks() {
        Incident p2 = incident(IncidentState.OPEN, Severity.P2, 0.06);

        LiveImpact.Applied applied = LiveImpact.apply(new SeverityClassifier(RUNBOOKS), p2,
                health(0.30), T0.plusSeconds(60).toEpochMilli()).orElseThrow();

        assertThat(applied.rose()).isTrue();
        assertThat(applied.before()).isEqualTo(Severity.P2);
        assertThat(applied.incident().getSeverity()).isEqualTo(Severity.P1);
        assertThat(applied.incident().getErrorRate()).isEqualTo(0.30);
        assertThat(applied.incident().getPeakErrorRate()).isEqualTo(0.30);
        assertThat(applied.incident().getLatencyP95Seconds()).isEqualTo(0.4);
        assertThat(p2.getSeverity()).as("the stored incident is not changed in place").isEqualTo(Severity.P2);
    }

    @Test
    void aLowerMeasurementNeitherLowersTheSeverityNorThePeak() {
        Incident p1 = incident(IncidentState.OPEN, Severity.P1, 0.30);

        LiveImpact.Applied applied = LiveImpact.apply(new SeverityClassifier(RUNBOOKS), p1,
                health(0.04), T0.plusSeconds(60).toEpochMilli()).orElseThrow();

        assertThat(applied.rose()).isFalse();
        assertThat(applied.incident().getSeverity()).isEqualTo(Severity.P1);
        assertThat(applied.incident().getErrorRate()).isEqualTo(0.04);
        assertThat(applied.incident().getPeakErrorRate()).isEqualTo(0.30);
    }

    @Test
    void aResolvedIncidentOrNoneTakesNoMeasurement() {
        SeverityClassifier severities = new SeverityClassifier(RUNBOOKS);

        assertThat(LiveImpact.apply(severities, null, health(0.30), T0.toEpochMilli())).isEmpty();
        assertThat(LiveImpact.apply(severities, incident(IncidentState.RESOLVED, Severity.P2, 0.06), health(0.30),
                T0.toEpochMilli())).isEmpty();
    }

    private static ServiceHealth health(Double errorRate) {
        return ServiceHealth.newBuilder().setService("inference-gateway").setNamespace("ml-prod")
                .setErrorRate(errorRate).setLatencyP95Seconds(0.4).setWindowStart(T0.minusSeconds(300))
                .setWindowEnd(T0).setUpdatedAt(T0).build();
    }

    private static Incident incident(IncidentState state, Severity severity, double errorRate) {
        return Incident.newBuilder().setId("INC-0123456789ab").setCorrelationKey("ml-prod/inference-gateway")
                .setTitle("HighErrorRate on inference-gateway").setState(state).setSeverity(severity)
                .setService("inference-gateway").setNamespace("ml-prod").setLabels(Map.of()).setAlerts(List.of())
                .setErrorRate(errorRate).setPeakErrorRate(errorRate)
                .setOpenedAt(T0).setLastSeenAt(T0).setUpdatedAt(T0).build();
    }
}

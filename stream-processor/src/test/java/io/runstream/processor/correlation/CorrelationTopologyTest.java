package io.runstream.processor.correlation;

import static io.runstream.processor.TopologyFixture.firing;
import static io.runstream.processor.TopologyFixture.resolved;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.runstream.avro.Alert;
import io.runstream.avro.AlertStatus;
import io.runstream.avro.Incident;
import io.runstream.avro.IncidentEvent;
import io.runstream.avro.IncidentEventType;
import io.runstream.avro.IncidentState;
import io.runstream.avro.Severity;
import io.runstream.processor.TopologyFixture;
import io.runstream.processor.severity.ImpactThreshold;
import io.runstream.processor.severity.SeverityPolicy;
import io.runstream.schemas.DeadLetterHeaders;

class CorrelationTopologyTest {

    private static final Alert ERRORS = firing("f-errors", "HighErrorRate", "critical", "inference-gateway",
            Map.of("summary", "5xx above 5 %", "kind", "error_ratio", "value", "0.06"));
    private static final Alert LATENCY = firing("f-latency", "HighLatency", "warning", "inference-gateway",
            Map.of("kind", "latency_quantile", "value", "1.4"));

    private TopologyFixture pipeline = new TopologyFixture();

    @AfterEach
    void close() {
        pipeline.close();
    }

    @Test
    void opensOneIncidentForAlertsOfTheSameNamespaceAndService() {
        pipeline.send(ERRORS, Duration.ZERO);
        pipeline.send(LATENCY, Duration.ofSeconds(30));

        Incident incident = last(pipeline.incidents.readValuesToList());
        assertThat(incident.getCorrelationKey()).isEqualTo("ml-prod/inference-gateway");
        assertThat(incident.getService()).isEqualTo("inference-gateway");
        assertThat(incident.getNamespace()).isEqualTo("ml-prod");
        assertThat(incident.getState()).isEqualTo(IncidentState.OPEN);
        assertThat(incident.getTitle()).isEqualTo("5xx above 5 %");
        assertThat(incident.getAlerts()).extracting(a -> a.getAlertname())
                .containsExactly("HighErrorRate", "HighLatency");
        assertThat(incident.getErrorRate()).isEqualTo(0.06);
        assertThat(incident.getLatencyP95Seconds()).isEqualTo(1.4);
        assertThat(incident.getOpenedAt()).isEqualTo(TopologyFixture.T0);
        assertThat(incident.getLastSeenAt()).isEqualTo(TopologyFixture.T0.plusSeconds(30));
        // (HighLatency also starts the scale-on-saturation runbook: an ACTION_ISSUED entry follows.)
        assertThat(types(pipeline.incidentEvents.readValuesToList())).startsWith(
                IncidentEventType.OPENED, IncidentEventType.ALERT_ATTACHED, IncidentEventType.ALERT_ATTACHED);
    }

    @Test
    void theOpenedEntryNamesTheSeverityTheIncidentOpensWith() {
        pipeline.send(ERRORS, Duration.ZERO);

        IncidentEvent opened = pipeline.incidentEvents.readValuesToList().get(0);
        assertThat(opened.getType()).isEqualTo(IncidentEventType.OPENED);
        assertThat(opened.getSeverity()).isEqualTo(last(pipeline.incidents.readValuesToList()).getSeverity())
                .isNotEqualTo(Severity.UNKNOWN);
        assertThat(opened.getMessage()).isEqualTo("opened " + opened.getSeverity() + ": 5xx above 5 %");
    }

    @Test
    void keepsOtherServicesApart() {
        pipeline.send(ERRORS, Duration.ZERO);
        pipeline.send(firing("f-other", "HighErrorRate", "critical", "feature-store", Map.of()), Duration.ZERO);

        assertThat(pipeline.incidents.readKeyValuesToMap()).hasSize(2);
    }

    @Test
    void dropsRepeatsOfTheSameFingerprintAndStatusInsideTheDedupWindow() {
        pipeline.send(ERRORS, Duration.ZERO);
        pipeline.send(ERRORS, Duration.ofMinutes(1));
        pipeline.send(ERRORS, Duration.ofMinutes(4));

        assertThat(pipeline.incidents.readValuesToList()).hasSize(1);
        assertThat(pipeline.registry.get("runstream_dedup_dropped").counter().count()).isEqualTo(2);
    }

    @Test
    void passesARepeatAfterTheDedupWindowAsARefreshWithoutNewTimelineEntries() {
        pipeline.send(ERRORS, Duration.ZERO);
        pipeline.incidentEvents.readValuesToList();
        pipeline.send(ERRORS, Duration.ofMinutes(6));

        Incident refreshed = last(pipeline.incidents.readValuesToList());
        assertThat(refreshed.getLastSeenAt()).isEqualTo(TopologyFixture.T0.plus(Duration.ofMinutes(6)));
        assertThat(pipeline.incidentEvents.isEmpty()).isTrue();
    }

    @Test
    void resolvesTheIncidentWhenItsLastAlertResolves() {
        pipeline.send(ERRORS, Duration.ZERO);
        pipeline.send(LATENCY, Duration.ZERO);
        pipeline.send(resolved(ERRORS), Duration.ofMinutes(3));
        assertThat(last(pipeline.incidents.readValuesToList()).getState()).isEqualTo(IncidentState.OPEN);

        pipeline.send(resolved(LATENCY), Duration.ofMinutes(4));

        Incident incident = last(pipeline.incidents.readValuesToList());
        assertThat(incident.getState()).isEqualTo(IncidentState.RESOLVED);
        assertThat(incident.getResolvedBy()).isEqualTo("alerts");
        assertThat(incident.getResolvedAt()).isEqualTo(TopologyFixture.T0.plus(Duration.ofMinutes(4)));
        assertThat(incident.getAlerts()).allMatch(a -> a.getStatus() == AlertStatus.RESOLVED);
        assertThat(types(pipeline.incidentEvents.readValuesToList())).endsWith(
                IncidentEventType.ALERT_RESOLVED, IncidentEventType.ALERT_RESOLVED, IncidentEventType.RESOLVED);
    }

    @Test
    void firingResolvedFiringTransitionsAllPassDedup() {
        pipeline.send(ERRORS, Duration.ZERO);
        pipeline.send(resolved(ERRORS), Duration.ofSeconds(30));
        pipeline.send(ERRORS, Duration.ofSeconds(60));

        List<Incident> states = pipeline.incidents.readValuesToList();
        assertThat(states).extracting(Incident::getState)
                .containsExactly(IncidentState.OPEN, IncidentState.RESOLVED, IncidentState.OPEN);
    }

    @Test
    void reopensIncidentWhenAlertReturnsWithinReopenWindow() {
        pipeline.send(ERRORS, Duration.ZERO);
        pipeline.send(resolved(ERRORS), Duration.ofMinutes(5));
        pipeline.send(ERRORS, Duration.ofMinutes(15));

        List<Incident> states = pipeline.incidents.readValuesToList();
        Incident reopened = last(states);
        assertThat(reopened.getId()).isEqualTo(states.get(0).getId());
        assertThat(reopened.getState()).isEqualTo(IncidentState.OPEN);
        assertThat(reopened.getReopenCount()).isEqualTo(1);
        assertThat(reopened.getResolvedAt()).isNull();
        assertThat(types(pipeline.incidentEvents.readValuesToList())).contains(IncidentEventType.REOPENED);
    }

    @Test
    void flappingAlertMakesOneIncidentNotTen() {
        for (int flap = 0; flap < 10; flap++) {
            pipeline.send(ERRORS, Duration.ofMinutes(flap * 2L));
            pipeline.send(resolved(ERRORS), Duration.ofMinutes(flap * 2L + 1));
        }

        Map<String, Incident> incidents = pipeline.incidents.readKeyValuesToMap();
        assertThat(incidents).hasSize(1);
        assertThat(incidents.values().iterator().next().getReopenCount()).isEqualTo(9);
    }

    @Test
    void opensANewIncidentWhenTheAlertReturnsAfterTheReopenWindow() {
        pipeline.send(ERRORS, Duration.ZERO);
        pipeline.send(resolved(ERRORS), Duration.ofMinutes(5));
        pipeline.send(ERRORS, Duration.ofMinutes(40));

        Set<String> ids = pipeline.incidents.readKeyValuesToMap().keySet();
        assertThat(ids).hasSize(2);
        assertThat(ids).allMatch(id -> id.matches("INC-[0-9A-F]{12}"));
    }

    @Test
    void ignoresAResolvedAlertThatNoIncidentCarries() {
        pipeline.send(resolved(ERRORS), Duration.ZERO);

        assertThat(pipeline.incidents.isEmpty()).isTrue();
        assertThat(pipeline.registry.get("runstream_correlation_resolved_alerts_without_incident").counter().count())
                .isEqualTo(1);
    }

    @Test
    void ranksByMeasuredErrorRateAsRunbook001Defines() {
        pipeline.send(withValue(firing("f-errors", "HighErrorRate", "warning", "inference-gateway",
                Map.of("kind", "error_ratio")), "0.03"), Duration.ZERO);
        assertThat(last(pipeline.incidents.readValuesToList()).getSeverity()).isEqualTo(Severity.P2);

        pipeline.send(withValue(firing("f-errors-crit", "HighErrorRate", "critical", "inference-gateway",
                Map.of("kind", "error_ratio")), "0.12"), Duration.ofMinutes(2));

        Incident incident = last(pipeline.incidents.readValuesToList());
        assertThat(incident.getSeverity()).isEqualTo(Severity.P1);
        IncidentEvent change = pipeline.incidentEvents.readValuesToList().stream()
                .filter(e -> e.getType() == IncidentEventType.SEVERITY_CHANGED).findFirst().orElseThrow();
        assertThat(change.getMessage()).isEqualTo("severity P2 -> P1: error rate 12.0 %");
        assertThat(change.getDetails()).containsEntry("from", "P2").containsEntry("to", "P1");
    }

    @Test
    void keepsThePeakImpactForThePostIncidentRecord() {
        pipeline.send(withValue(ERRORS, "0.12"), Duration.ZERO);
        pipeline.send(withValue(firing("f-low", "HighErrorRate", "warning", "inference-gateway",
                Map.of("kind", "error_ratio")), "0.03"), Duration.ofMinutes(1));
        pipeline.send(resolved(ERRORS), Duration.ofMinutes(5));
        pipeline.send(resolved(firing("f-low", "HighErrorRate", "warning", "inference-gateway", Map.of())),
                Duration.ofMinutes(6));

        Incident incident = last(pipeline.incidents.readValuesToList());
        assertThat(incident.getErrorRate()).isEqualTo(0.03);
        assertThat(incident.getPeakErrorRate()).isEqualTo(0.12);
        IncidentEvent record = pipeline.incidentEvents.readValuesToList().stream()
                .filter(e -> e.getType() == IncidentEventType.RESOLVED).findFirst().orElseThrow();
        assertThat(record.getDetails()).containsEntry("peakErrorRate", "0.12").containsEntry("timeToResolve", "PT6M")
                .containsEntry("alerts", "2").containsEntry("resolvedBy", "alerts");
    }

    @Test
    void severityNeverFallsOnItsOwnWhileOpen() {
        pipeline.send(withValue(ERRORS, "0.12"), Duration.ZERO);
        pipeline.send(withValue(firing("f-low", "HighErrorRate", "warning", "inference-gateway",
                Map.of("kind", "error_ratio")), "0.015"), Duration.ofMinutes(1));

        assertThat(last(pipeline.incidents.readValuesToList()).getSeverity()).isEqualTo(Severity.P1);
    }

    @Test
    void mapsAlertSeverityWhenNoImpactIsMeasured() {
        pipeline.send(firing("f-disk", "HighDiskUsage", "warning", "feature-store", Map.of()), Duration.ZERO);

        assertThat(last(pipeline.incidents.readValuesToList()).getSeverity()).isEqualTo(Severity.P3);
    }

    @Test
    void ranksACriticalServiceOneLevelHigher() {
        pipeline.close();
        SeverityPolicy defaults = SeverityPolicy.defaults();
        pipeline = new TopologyFixture(new SeverityPolicy(defaults.fallback(), defaults.byAlertSeverity(),
                List.of(new ImpactThreshold(0.10, Severity.P1)), Set.of("inference-gateway")));

        pipeline.send(firing("f-disk", "HighDiskUsage", "warning", "inference-gateway", Map.of()), Duration.ZERO);

        assertThat(last(pipeline.incidents.readValuesToList()).getSeverity()).isEqualTo(Severity.P2);
    }

    @Test
    void sendsACorruptRecordToDeadLettersAndKeepsProcessing() {
        pipeline.rawAlerts.pipeInput("f-bad".getBytes(StandardCharsets.UTF_8),
                "{\"not\":\"avro\"}".getBytes(StandardCharsets.UTF_8), TopologyFixture.T0);
        pipeline.send(ERRORS, Duration.ofSeconds(1));

        TestRecord<byte[], byte[]> dead = pipeline.deadLetters.readRecord();
        assertThat(new String(dead.value(), StandardCharsets.UTF_8)).isEqualTo("{\"not\":\"avro\"}");
        assertThat(header(dead, DeadLetterHeaders.REASON)).isEqualTo("deserialization");
        assertThat(header(dead, DeadLetterHeaders.SOURCE_TOPIC)).isEqualTo(pipeline.topics.alerts().name());
        assertThat(header(dead, DeadLetterHeaders.ERROR)).isNotBlank();
        assertThat(pipeline.incidents.readValuesToList()).hasSize(1);
        assertThat(pipeline.registry.get("runstream_dead_letters").counter().count()).isEqualTo(1);
    }

    private static Alert withValue(Alert alert, String value) {
        Map<String, String> annotations = new java.util.HashMap<>(alert.getAnnotations());
        annotations.put("value", value);
        annotations.put("kind", "error_ratio");
        return Alert.newBuilder(alert).setAnnotations(annotations).build();
    }

    private static String header(TestRecord<byte[], byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    private static List<IncidentEventType> types(List<IncidentEvent> events) {
        return events.stream().map(IncidentEvent::getType).toList();
    }

    private static <T> T last(List<T> values) {
        assertThat(values).isNotEmpty();
        return values.get(values.size() - 1);
    }
}

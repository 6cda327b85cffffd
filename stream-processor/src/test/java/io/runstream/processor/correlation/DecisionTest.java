package io.runstream.processor.correlation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.runstream.avro.ActionCommand;
import io.runstream.avro.ActionMode;
import io.runstream.avro.ActionTarget;
import io.runstream.avro.ActionType;
import io.runstream.avro.Incident;
import io.runstream.avro.IncidentEvent;
import io.runstream.avro.IncidentEventType;
import io.runstream.avro.IncidentState;
import io.runstream.avro.Severity;
import io.runstream.processor.escalation.Timer;

/** The one merge of the stages' decisions ({@link Decision#then}), which the writer applies as a whole. */
class DecisionTest {

    private static final Instant T0 = Instant.parse("2026-12-06T10:00:00Z");

    @Test
    void aLaterStagesStateWinsAndEntriesCommandsAndTimersKeepTheirOrder() {
        // given: the alert stage opened the incident at P3, severity ranked it P1, the runbook issued a rollback
        Incident opened = incident(Severity.P3);
        Incident ranked = incident(Severity.P1);
        Decision correlated = Decision.of(opened, List.of(entry(IncidentEventType.OPENED)));
        Decision severity = Decision.of(ranked, List.of(entry(IncidentEventType.SEVERITY_CHANGED)));
        Timer page = new Timer(T0.toEpochMilli(), opened.getId(), "P1.page-oncall", opened.getCorrelationKey());
        Decision escalation = Decision.starting(List.of(page));
        Decision runbook = new Decision(null, List.of(entry(IncidentEventType.ACTION_ISSUED)), List.of(rollback()));

        // when
        Decision merged = correlated.then(severity).then(escalation).then(runbook);

        // then: the runbook left the state alone, so the ranked one stands
        assertThat(merged.incident()).isSameAs(ranked);
        assertThat(merged.events()).extracting(IncidentEvent::getType).containsExactly(IncidentEventType.OPENED,
                IncidentEventType.SEVERITY_CHANGED, IncidentEventType.ACTION_ISSUED);
        assertThat(merged.commands()).containsExactly(rollback());
        assertThat(merged.timers()).containsExactly(page);
    }

    @Test
    void nothingChangesNothing() {
        Decision correlated = Decision.of(incident(Severity.P2), List.of(entry(IncidentEventType.OPENED)));

        assertThat(correlated.then(Decision.nothing())).isEqualTo(correlated);
        assertThat(Decision.nothing().then(correlated)).isEqualTo(correlated);
        assertThat(Decision.nothing().isEmpty()).isTrue();
        assertThat(Decision.nothing().incidentOr(incident(Severity.P4)).getSeverity()).isEqualTo(Severity.P4);
    }

    private static Incident incident(Severity severity) {
        return Incident.newBuilder().setId("INC-0123456789ab").setCorrelationKey("ml-prod/inference-gateway")
                .setTitle("HighErrorRate on inference-gateway").setState(IncidentState.OPEN).setSeverity(severity)
                .setService("inference-gateway").setNamespace("ml-prod").setLabels(Map.of()).setAlerts(List.of())
                .setOpenedAt(T0).setLastSeenAt(T0).setUpdatedAt(T0).build();
    }

    private static IncidentEvent entry(IncidentEventType type) {
        return IncidentEvent.newBuilder().setEventId("INC-0123456789ab/" + T0.toEpochMilli() + "/" + type)
                .setIncidentId("INC-0123456789ab").setType(type).setAt(T0).setMessage(type.name())
                .setDetails(Map.of()).build();
    }

    private static ActionCommand rollback() {
        return ActionCommand.newBuilder().setCommandId("INC-0123456789ab/error-rate-after-rollout/rollback")
                .setIncidentId("INC-0123456789ab").setCorrelationKey("ml-prod/inference-gateway")
                .setType(ActionType.ROLLOUT_UNDO)
                .setTarget(ActionTarget.newBuilder().setKind("deployment").setNamespace("ml-prod")
                        .setName("inference-gateway").build())
                .setParameters(Map.of()).setMode(ActionMode.ENFORCE).setRunbook("error-rate-after-rollout#rollback")
                .setReason("error rate up after a rollout").setIssuedAt(T0).setExpiresAt(T0.plusSeconds(600))
                .build();
    }
}

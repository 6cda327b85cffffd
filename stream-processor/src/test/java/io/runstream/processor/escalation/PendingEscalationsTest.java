package io.runstream.processor.escalation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.runstream.avro.ActionType;
import io.runstream.avro.Incident;
import io.runstream.avro.IncidentState;
import io.runstream.avro.Severity;

class PendingEscalationsTest {

    private static final long OPENED = Instant.parse("2026-11-22T18:00:00Z").toEpochMilli();
    private final PendingEscalations pending = new PendingEscalations(EscalationPolicy.defaults());

    @Test
    void anOpenP1WaitsForTheTechLeadAfterTheOnCallWasPaged() {
        Incident open = incident("INC-1", "ml-prod/inference-gateway", IncidentState.OPEN, Severity.P1);
        // The on-call step already fired (its timer is gone); the tech lead and the VP are still scheduled.
        List<Timer> timers = scheduled(open, "P1.page-tech-lead", 5, "P1.status-update", 30, "P1.page-vp-engineering", 15);

        Map<String, PendingEscalations.Pending> next = pending.next(timers.iterator(), key -> open, 100);

        assertThat(next).containsOnlyKeys("INC-1");
        PendingEscalations.Pending step = next.get("INC-1");
        assertThat(step.step()).isEqualTo("page-tech-lead");
        assertThat(step.type()).isEqualTo(ActionType.PAGE);
        assertThat(step.channel()).isEqualTo("pagerduty/tech-lead");
        assertThat(step.dueAt()).isEqualTo(Instant.ofEpochMilli(OPENED + 5 * 60_000));
    }

    @Test
    void acknowledgedResolvedSupersededAndReplacedChainsWaitForNothing() {
        Incident acknowledged = incident("INC-A", "k/a", IncidentState.ACKNOWLEDGED, Severity.P1);
        Incident resolved = incident("INC-R", "k/r", IncidentState.RESOLVED, Severity.P1);
        Incident reopenedAsAnother = incident("INC-NEW", "k/s", IncidentState.OPEN, Severity.P1);
        Incident raisedToP1 = incident("INC-P", "k/p", IncidentState.OPEN, Severity.P1);
        List<Timer> timers = new java.util.ArrayList<>();
        timers.addAll(scheduled(acknowledged, "P1.page-tech-lead", 5));
        timers.addAll(scheduled(resolved, "P1.page-tech-lead", 5));
        timers.add(new Timer(OPENED, "INC-OLD", "P1.page-tech-lead", "k/s"));
        timers.addAll(scheduled(raisedToP1, "P2.page-on-call", 5));
        timers.sort(java.util.Comparator.comparing(TimerKeys::of));
        Map<String, Incident> current = Map.of("k/a", acknowledged, "k/r", resolved, "k/s", reopenedAsAnother,
                "k/p", raisedToP1);

        assertThat(pending.next(timers.iterator(), current::get, 100)).isEmpty();
    }

    @Test
    void readsNoMoreTimersThanItsBound() {
        Incident open = incident("INC-1", "k/1", IncidentState.OPEN, Severity.P1);
        List<Timer> timers = scheduled(open, "P1.status-update", 1, "P1.page-tech-lead", 5);

        assertThat(pending.next(timers.iterator(), key -> open, 1)).isEmpty();
    }

    private static Incident incident(String id, String key, IncidentState state, Severity severity) {
        return Incident.newBuilder().setId(id).setCorrelationKey(key).setTitle("5xx above 5 %").setState(state)
                .setSeverity(severity).setService("inference-gateway").setLabels(Map.of()).setAlerts(List.of())
                .setOpenedAt(Instant.ofEpochMilli(OPENED)).setLastSeenAt(Instant.ofEpochMilli(OPENED))
                .setAcknowledgedAt(state == IncidentState.ACKNOWLEDGED ? Instant.ofEpochMilli(OPENED) : null)
                .setUpdatedAt(Instant.ofEpochMilli(OPENED)).build();
    }

    /** Timers for (name, minutes after opening) pairs, in store order. */
    private static List<Timer> scheduled(Incident incident, Object... nameAndMinutes) {
        List<Timer> timers = new java.util.ArrayList<>();
        for (int i = 0; i < nameAndMinutes.length; i += 2) {
            timers.add(new Timer(OPENED + (Integer) nameAndMinutes[i + 1] * 60_000L, incident.getId(),
                    (String) nameAndMinutes[i], incident.getCorrelationKey()));
        }
        timers.sort(java.util.Comparator.comparing(TimerKeys::of));
        return timers;
    }
}

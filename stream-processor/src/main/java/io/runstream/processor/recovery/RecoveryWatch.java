package io.runstream.processor.recovery;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import io.runstream.avro.AlertStatus;
import io.runstream.avro.Incident;
import io.runstream.avro.IncidentEvent;
import io.runstream.avro.IncidentEventType;
import io.runstream.avro.IncidentState;
import io.runstream.processor.escalation.EscalationTimers;
import io.runstream.processor.escalation.Timer;
import io.runstream.schemas.EventIds;

/**
 * Stage 7 of DESIGN.md: watches a mitigated incident on wall-clock timers in the escalation timers store
 * ({@code recovery.hold}, {@code recovery.deadline}), resolving it when it stayed recovered for the hold time
 * and reporting when it did not recover in time.
 */
public final class RecoveryWatch {

    static final String HOLD = "recovery.hold";
    static final String DEADLINE = "recovery.deadline";

    private final RecoveryPolicy policy;
    private final EscalationTimers timers;

    public RecoveryWatch(RecoveryPolicy policy, EscalationTimers timers) {
        this.policy = policy;
        this.timers = timers;
    }

    /** What a recovery timer found: the incident resolved by recovery, or a remediation that did not help. */
    public record Verdict(Incident resolved, IncidentEvent event, boolean notRecovered) {
    }

    public static boolean isRecoveryTimer(Timer timer) {
        return timer.name().startsWith("recovery.");
    }

    /**
     * A remediation succeeded: give it until the deadline (the step's own, else the policy's) to bring the
     * alerts down.
     */
    public void mitigated(Incident incident, long wallNowMillis, java.time.Duration stepDeadline) {
        java.time.Duration deadline = stepDeadline != null ? stepDeadline : policy.deadline();
        timers.schedule(new Timer(wallNowMillis + deadline.toMillis(), incident.getId(), DEADLINE,
                incident.getCorrelationKey()));
    }

    /** Every alert of a mitigated incident resolved: resolve it if that lasts for the hold time. */
    public void recovered(Incident incident, long wallNowMillis) {
        timers.schedule(new Timer(wallNowMillis + policy.hold().toMillis(), incident.getId(), HOLD,
                incident.getCorrelationKey()));
    }

    public Optional<Verdict> fire(Timer timer, Incident incident, long nowMillis) {
        if (incident == null || !incident.getId().equals(timer.incidentId())
                || incident.getState() != IncidentState.MITIGATED) {
            return Optional.empty();
        }
        boolean allResolved = incident.getAlerts().stream().allMatch(a -> a.getStatus() == AlertStatus.RESOLVED);
        if (HOLD.equals(timer.name()) && allResolved) {
            Incident resolved = Incident.newBuilder(incident).setState(IncidentState.RESOLVED)
                    .setResolvedAt(Instant.ofEpochMilli(nowMillis)).setResolvedBy("recovery")
                    .setUpdatedAt(Instant.ofEpochMilli(nowMillis)).build();
            Map<String, String> details = new HashMap<>(IncidentDurations.of(resolved));
            details.put("resolvedBy", "recovery");
            return Optional.of(new Verdict(resolved, event(resolved, IncidentEventType.RESOLVED, nowMillis,
                    "resolved: recovered and stayed below target for " + policy.hold().toMinutes() + " min",
                    details), false));
        }
        if (DEADLINE.equals(timer.name()) && !allResolved) {
            return Optional.of(new Verdict(null, event(incident, IncidentEventType.RECOVERY_FAILED, nowMillis,
                    "not recovered in time after the remediation: its alerts still fire", Map.of()), true));
        }
        return Optional.empty();
    }

    private static IncidentEvent event(Incident incident, IncidentEventType type, long nowMillis, String message,
            Map<String, String> details) {
        return IncidentEvent.newBuilder()
                .setEventId(EventIds.of(incident.getId(), nowMillis, type))
                .setIncidentId(incident.getId())
                .setType(type)
                .setAt(Instant.ofEpochMilli(nowMillis))
                .setMessage(message)
                .setSeverity(incident.getSeverity())
                .setDetails(Map.copyOf(details))
                .build();
    }
}

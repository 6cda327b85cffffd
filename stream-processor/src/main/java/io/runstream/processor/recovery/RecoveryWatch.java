package io.runstream.processor.recovery;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

import io.runstream.avro.AlertStatus;
import io.runstream.avro.Incident;
import io.runstream.avro.IncidentEvent;
import io.runstream.avro.IncidentEventType;
import io.runstream.avro.IncidentState;
import io.runstream.processor.correlation.Decision;
import io.runstream.processor.escalation.Episodes;
import io.runstream.processor.escalation.Timer;
import io.runstream.schemas.EventIds;

/**
 * Stage 7 of DESIGN.md: watches a mitigated incident on wall-clock timers in the escalation timers store
 * ({@code recovery.hold}, {@code recovery.deadline}), resolving it when it stayed recovered for the hold time
 * and reporting when it did not recover in time. It starts its timers as a {@link Decision}, which the writer
 * applies.
 */
public final class RecoveryWatch {

    static final String HOLD = "recovery.hold";
    static final String DEADLINE = "recovery.deadline";

    private final RecoveryPolicy policy;

    public RecoveryWatch(RecoveryPolicy policy) {
        this.policy = policy;
    }

    /** What a recovery timer found: the incident resolved by recovery, or a remediation that did not help. */
    public record Verdict(Incident resolved, IncidentEvent event, boolean notRecovered) {
    }

    public static boolean isRecoveryTimer(Timer timer) {
        return timer.name().startsWith("recovery.");
    }

    /**
     * The watch a change of the incident from {@code before} to {@code after} starts (wall-clock
     * {@code wallNowMillis}): a remediation that mitigated it gets until the deadline (the step's own, else the
     * policy's) to bring the alerts down, and the hold starts at once when they already are; the last alert of a
     * mitigated incident resolving starts the hold.
     */
    public Decision onChange(Incident before, Incident after, Supplier<Duration> stepDeadline, long wallNowMillis) {
        if (after == null || after.getState() != IncidentState.MITIGATED) {
            return Decision.nothing();
        }
        if (mitigatedNow(before, after)) {
            Duration deadline = Objects.requireNonNullElse(stepDeadline.get(), policy.deadline());
            Timer deadlineTimer = timer(after, wallNowMillis + deadline.toMillis(), DEADLINE);
            return Decision.starting(allResolved(after)
                    ? List.of(deadlineTimer, timer(after, wallNowMillis + policy.hold().toMillis(), HOLD))
                    : List.of(deadlineTimer));
        }
        if (before.getState() == IncidentState.MITIGATED && allResolved(after) && !allResolved(before)) {
            return Decision.starting(List.of(timer(after, wallNowMillis + policy.hold().toMillis(), HOLD)));
        }
        return Decision.nothing();
    }

    /** Mitigated by this change: not mitigated before in the same incident's episode. */
    private static boolean mitigatedNow(Incident before, Incident after) {
        return before == null || before.getMitigatedAt() == null || !before.getId().equals(after.getId())
                || Episodes.number(before) != Episodes.number(after);
    }

    private static Timer timer(Incident incident, long dueMillis, String name) {
        return new Timer(dueMillis, incident.getId(), name, incident.getCorrelationKey());
    }

    private static boolean allResolved(Incident incident) {
        return incident.getAlerts().stream().allMatch(a -> a.getStatus() == AlertStatus.RESOLVED);
    }

    public Optional<Verdict> fire(Timer timer, Incident incident, long nowMillis) {
        if (incident == null || !incident.getId().equals(timer.incidentId())
                || incident.getState() != IncidentState.MITIGATED) {
            return Optional.empty();
        }
        boolean allResolved = allResolved(incident);
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

package io.runstream.processor.escalation;

import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import org.apache.kafka.streams.KeyValue;

import io.runstream.avro.ActionType;
import io.runstream.avro.Incident;
import io.runstream.avro.AlertStatus;
import io.runstream.avro.TimerState;

/**
 * The next escalation step each open, unacknowledged incident waits for, read from one task's timers without
 * changing them. A timer counts only if firing it now would still escalate (the rules of
 * {@link Escalations#fire}): its incident and episode are the ones current under its key, the chain that
 * scheduled it still applies (the incident's severity, or an alert still firing), and the step's stop was not
 * reached. Timers are stored earliest first, so an incident's first applicable timer is its next.
 */
public final class PendingEscalations {

    /** The timers of an iterator over one task's timers store, in store order, for {@link #next}. */
    public static Iterator<Timer> timersOf(Iterator<? extends KeyValue<?, TimerState>> entries) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return entries.hasNext();
            }

            @Override
            public Timer next() {
                return Timer.of(entries.next().value);
            }
        };
    }

    /** One upcoming step: at {@code dueAt}, {@code type} to {@code channel} (e.g. PAGE to pagerduty/tech-lead). */
    public record Pending(String incidentId, String step, Instant dueAt, ActionType type, String channel) {
    }

    private final EscalationPolicy policy;

    public PendingEscalations(EscalationPolicy policy) {
        this.policy = policy;
    }

    /**
     * @param timers          one task's timers, in store order (earliest due first)
     * @param currentIncident correlation key -> the incident now current under it, or null
     * @param maxTimers       how many timers to read at most, so one request's cost is bounded
     * @return incident id -> its next step, in due order
     */
    public Map<String, Pending> next(Iterator<Timer> timers, Function<String, Incident> currentIncident,
            int maxTimers) {
        Map<String, Pending> next = new LinkedHashMap<>();
        Map<String, Optional<Incident>> incidents = new HashMap<>();
        for (int read = 0; read < maxTimers && timers.hasNext(); read++) {
            Timer timer = timers.next();
            if (next.containsKey(timer.incidentId())) {
                continue;
            }
            Incident incident = incidents.computeIfAbsent(timer.correlationKey(),
                    key -> Optional.ofNullable(currentIncident.apply(key))).orElse(null);
            pending(timer, incident).ifPresent(step -> next.put(step.incidentId(), step));
        }
        return next;
    }

    private Optional<Pending> pending(Timer timer, Incident incident) {
        TimerName name = TimerName.parse(timer.name());
        if (name == null || name.isReminder() || incident == null || !incident.getId().equals(timer.incidentId())
                || name.episode() != Episodes.number(incident)) {
            return Optional.empty();
        }
        List<EscalationStep> chain;
        if (name.alertname() != null) {
            boolean firing = incident.getAlerts().stream().anyMatch(a -> a.getStatus() == AlertStatus.FIRING
                    && name.alertname().equals(a.getAlertname()));
            chain = firing ? policy.forAlert(name.alertname()) : List.of();
        } else {
            chain = name.chain().equals(incident.getSeverity().name())
                    ? policy.forSeverity(incident.getSeverity()).steps() : List.of();
        }
        return chain.stream()
                .filter(step -> step.name().equals(name.step()) && step.until().stillApplies(incident))
                .findFirst()
                .map(step -> new Pending(incident.getId(), step.name(), Instant.ofEpochMilli(timer.dueMillis()),
                        step.type(), step.channelId()));
    }
}

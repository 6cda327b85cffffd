package io.runstream.processor.escalation;

import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import io.runstream.avro.ActionType;
import io.runstream.avro.Incident;
import io.runstream.avro.IncidentState;

/**
 * The next escalation step each open, unacknowledged incident waits for, read from one task's timers without
 * changing them. A timer counts only if firing it now would still escalate (the rules of
 * {@link Escalations#fire}): its incident is the one current under its key, still OPEN, at the severity whose
 * chain scheduled it. Timers are stored earliest first, so an incident's first applicable timer is its next.
 */
public final class PendingEscalations {

    /** One upcoming step: at {@code dueAt}, {@code type} to {@code channel} (e.g. PAGE to pagerduty/tech-lead). */
    public record Pending(String incidentId, String step, Instant dueAt, ActionType type, String channel) {
    }

    private final EscalationPolicy policy;

    public PendingEscalations(EscalationPolicy policy) {
        this.policy = policy;
    }

    /**
     * @param timerKeys       the keys of one task's timers store, in store order (earliest due first)
     * @param currentIncident correlation key -> the incident now current under it, or null
     * @param maxTimers       how many timers to read at most, so one request's cost is bounded
     * @return incident id -> its next step, in due order
     */
    public Map<String, Pending> next(Iterator<String> timerKeys, Function<String, Incident> currentIncident,
            int maxTimers) {
        Map<String, Pending> next = new LinkedHashMap<>();
        Map<String, Optional<Incident>> incidents = new HashMap<>();
        for (int read = 0; read < maxTimers && timerKeys.hasNext(); read++) {
            Timer timer = Timer.parse(timerKeys.next());
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
        if (incident == null || !incident.getId().equals(timer.incidentId())
                || incident.getState() != IncidentState.OPEN) {
            return Optional.empty();
        }
        String chain = incident.getSeverity().name() + ".";
        if (!timer.name().startsWith(chain)) {
            return Optional.empty();
        }
        String name = timer.name().substring(chain.length());
        return policy.forSeverity(incident.getSeverity()).steps().stream()
                .filter(step -> step.name().equals(name)).findFirst()
                .map(step -> new Pending(incident.getId(), step.name(), Instant.ofEpochMilli(timer.dueMillis()),
                        step.type(), step.channelKind() + "/" + step.channel()));
    }
}

package io.runstream.processor.escalation;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import io.runstream.avro.ActionCommand;
import io.runstream.avro.ActionMode;
import io.runstream.avro.ActionTarget;
import io.runstream.avro.ActionType;
import io.runstream.avro.Incident;
import io.runstream.avro.IncidentEvent;
import io.runstream.avro.IncidentEventType;
import io.runstream.avro.IncidentState;
import io.runstream.avro.Severity;

/**
 * Stage 5 of DESIGN.md: schedules an incident's escalation chain and status reminders when it opens or its
 * severity rises, and turns due timers into notification commands while they still apply. Timers are named
 * after the severity that scheduled them ({@code P1.page-tech-lead}), so a chain that a severity rise replaced
 * goes quiet; command ids are {@code incidentId/escalation/step}, so a step shared by two chains (page the
 * on-call) reaches a worker under one id and is carried out once.
 */
public final class Escalations {

    private final EscalationPolicy policy;
    private final EscalationTimers timers;

    public Escalations(EscalationPolicy policy, EscalationTimers timers) {
        this.policy = policy;
        this.timers = timers;
    }

    /** A command to publish and the timeline entry that explains it. */
    public record Fired(ActionCommand command, IncidentEvent event) {
    }

    /** Removes and returns the timers due at or before {@code nowMillis}. */
    public java.util.List<Timer> dueTimers(long nowMillis) {
        return timers.takeDue(nowMillis);
    }

    /** On opening, or on reaching a higher severity: that severity's chain from its start, and its reminders. */
    public void plan(Incident incident, long nowMillis) {
        Severity severity = incident.getSeverity();
        SeverityEscalation escalation = policy.forSeverity(severity);
        for (EscalationStep step : escalation.steps()) {
            timers.schedule(new Timer(nowMillis + step.after().toMillis(), incident.getId(),
                    severity + "." + step.name(), incident.getCorrelationKey()));
        }
        if (escalation.remindsOfUpdates()) {
            timers.schedule(new Timer(nowMillis + escalation.statusUpdateEvery().toMillis(), incident.getId(),
                    severity + "." + Timer.REMINDER, incident.getCorrelationKey()));
        }
    }

    /**
     * What a due timer issues for the incident now current under its key (null when there is none), if it
     * still applies: not for another incident, not after resolution, not from a replaced chain, and an
     * escalation step not after acknowledgement.
     */
    public Optional<Fired> fire(Timer timer, Incident incident, long nowMillis) {
        if (incident == null || !incident.getId().equals(timer.incidentId())
                || incident.getState() == IncidentState.RESOLVED) {
            return Optional.empty();
        }
        int dot = timer.name().indexOf('.');
        if (dot < 0 || !timer.name().substring(0, dot).equals(incident.getSeverity().name())) {
            return Optional.empty();
        }
        String name = timer.name().substring(dot + 1);
        SeverityEscalation escalation = policy.forSeverity(incident.getSeverity());
        if (Timer.REMINDER.equals(name)) {
            if (!escalation.remindsOfUpdates()) {
                return Optional.empty();
            }
            timers.schedule(new Timer(nowMillis + escalation.statusUpdateEvery().toMillis(), incident.getId(),
                    timer.name(), incident.getCorrelationKey()));
            return Optional.of(reminder(incident, escalation, timer, nowMillis));
        }
        if (incident.getState() != IncidentState.OPEN) {
            return Optional.empty();
        }
        return escalation.steps().stream().filter(step -> step.name().equals(name)).findFirst()
                .map(step -> escalate(incident, step, nowMillis));
    }

    private Fired escalate(Incident incident, EscalationStep step, long nowMillis) {
        Map<String, String> parameters = notice(incident);
        if (step.type() == ActionType.PAGE) {
            parameters.put("event", "trigger");
        } else if (step.type() == ActionType.NOTIFY) {
            parameters.put("event", "opened");
        }
        String reason = step.type() + " " + step.channelKind() + "/" + step.channel() + ": " + incident.getSeverity()
                + " " + incident.getTitle();
        ActionCommand command = command(incident, incident.getId() + "/escalation/" + step.name(), step.type(),
                step.channelKind(), step.channel(), parameters, "escalation/" + incident.getSeverity() + "#"
                        + step.name(), reason, nowMillis);
        return new Fired(command, event(incident, IncidentEventType.ESCALATED, nowMillis, command,
                "escalated: " + step.name() + " (" + step.channelKind() + "/" + step.channel() + ")"));
    }

    private Fired reminder(Incident incident, SeverityEscalation escalation, Timer timer, long nowMillis) {
        Map<String, String> parameters = notice(incident);
        parameters.put("event", "update");
        ActionCommand command = command(incident, incident.getId() + "/status-update/" + timer.dueMillis(),
                ActionType.NOTIFY, escalation.updateChannelKind(), escalation.updateChannel(), parameters,
                "escalation/" + incident.getSeverity() + "#" + Timer.REMINDER,
                "status update due for " + incident.getSeverity() + " " + incident.getTitle(), nowMillis);
        return new Fired(command, event(incident, IncidentEventType.STATUS_UPDATE_DUE, nowMillis, command,
                "status update due (every " + escalation.statusUpdateEvery().toMinutes() + " min for "
                        + incident.getSeverity() + ")"));
    }

    private static Map<String, String> notice(Incident incident) {
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("title", incident.getTitle());
        parameters.put("severity", incident.getSeverity().name());
        parameters.put("service", incident.getService());
        parameters.put("status", incident.getState().name().toLowerCase(Locale.ROOT));
        if (incident.getErrorRate() != null) {
            parameters.put("impact", String.format(Locale.ROOT, "error rate %.1f %%", incident.getErrorRate() * 100));
        }
        parameters.put("summary", incident.getAlerts().size() + " alert(s) on " + incident.getCorrelationKey());
        return parameters;
    }

    private ActionCommand command(Incident incident, String commandId, ActionType type, String kind, String channel,
            Map<String, String> parameters, String runbook, String reason, long nowMillis) {
        return ActionCommand.newBuilder()
                .setCommandId(commandId)
                .setIncidentId(incident.getId())
                .setType(type)
                .setTarget(ActionTarget.newBuilder().setKind(kind).setName(channel).build())
                .setParameters(parameters)
                .setMode(ActionMode.ENFORCE)
                .setRunbook(runbook)
                .setReason(reason)
                .setIssuedAt(Instant.ofEpochMilli(nowMillis))
                .setExpiresAt(Instant.ofEpochMilli(nowMillis + policy.commandTtl().toMillis()))
                .build();
    }

    private static IncidentEvent event(Incident incident, IncidentEventType type, long nowMillis,
            ActionCommand command, String message) {
        return IncidentEvent.newBuilder()
                .setEventId(incident.getId() + "/" + nowMillis + "/" + type + "/" + command.getCommandId())
                .setIncidentId(incident.getId())
                .setType(type)
                .setAt(Instant.ofEpochMilli(nowMillis))
                .setMessage(message)
                .setSeverity(incident.getSeverity())
                .setActionCommandId(command.getCommandId())
                .setDetails(Map.of("target", command.getTarget().getKind() + "/" + command.getTarget().getName(),
                        "type", command.getType().name()))
                .build();
    }

    /** kind/namespace/name, the key of action-commands, so one target's commands stay in order. */
    public static String targetKey(ActionCommand command) {
        ActionTarget target = command.getTarget();
        return target.getKind() + "/" + (target.getNamespace() == null ? "" : target.getNamespace()) + "/"
                + target.getName();
    }
}

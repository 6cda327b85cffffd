package io.runstream.processor.escalation;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.runstream.avro.ActionCommand;
import io.runstream.avro.ActionMode;
import io.runstream.avro.ActionTarget;
import io.runstream.avro.ActionType;
import io.runstream.avro.Alert;
import io.runstream.avro.AlertStatus;
import io.runstream.avro.Incident;
import io.runstream.avro.IncidentEvent;
import io.runstream.avro.IncidentEventType;
import io.runstream.avro.IncidentState;
import io.runstream.processor.correlation.Decision;
import io.runstream.processor.correlation.TimelineEntries;
import io.runstream.schemas.EventIds;

/**
 * Stage 5 of DESIGN.md: decides an incident's escalation chains and status reminders (its severity's chain when
 * it opens, reopens or its severity rises; an alert's own chain when that alert attaches) as timers, and turns due
 * timers into notification commands while they still apply; each as a {@link Decision} the writer applies. Timers
 * are named after the chain and the episode that scheduled them ({@link TimerName}), so a replaced chain and an
 * earlier episode go quiet; command ids are {@code incidentId[/reopen-N]/escalation/step}, so a step shared by two
 * chains of one episode (page the on-call) reaches a worker under one id and is carried out once, and a reopened
 * incident pages again.
 */
public final class Escalations {

    /** The incident's latest actions, one line each, for the status updates' "actions taken". */
    @FunctionalInterface
    public interface ActionsTaken {
        List<String> of(Incident incident);
    }

    /** The entries after which an incident's severity chain starts from its beginning. */
    private static final Set<IncidentEventType> CHAIN_STARTS = EnumSet.of(IncidentEventType.OPENED,
            IncidentEventType.REOPENED, IncidentEventType.SEVERITY_CHANGED);

    private final EscalationPolicy policy;
    private final IncidentNotice notice;

    public Escalations(EscalationPolicy policy) {
        this.policy = policy;
        this.notice = new IncidentNotice(policy.dashboardUrl());
    }

    /** A command to publish and the timeline entry that explains it. */
    public record Fired(ActionCommand command, IncidentEvent event) {
    }

    /**
     * After a change by an alert or by measured impact: when its entries say the incident opened, reopened or its
     * severity changed, that severity's chain from its start, and its reminders (timers due from {@code nowMillis},
     * wall-clock time).
     */
    public Decision chains(Decision change, long nowMillis) {
        Incident incident = change.incident();
        if (incident == null || change.events().stream().noneMatch(e -> CHAIN_STARTS.contains(e.getType()))) {
            return Decision.nothing();
        }
        SeverityEscalation escalation = policy.forSeverity(incident.getSeverity());
        String chain = incident.getSeverity().name();
        int episode = Episodes.number(incident);
        List<Timer> timers = new ArrayList<>();
        for (EscalationStep step : escalation.steps()) {
            timers.add(timer(incident, nowMillis + step.after().toMillis(),
                    new TimerName(chain, step.name(), episode)));
        }
        if (escalation.remindsOfUpdates()) {
            timers.add(timer(incident, nowMillis + escalation.statusUpdateEvery().toMillis(),
                    new TimerName(chain, Timer.REMINDER, episode)));
        }
        return Decision.starting(timers);
    }

    /**
     * An alert with a chain of its own that starts firing in the incident's episode (runbook 004: DatabaseDown
     * pages the DBA): that chain, from {@code nowMillis} (wall-clock time).
     */
    public Decision alertChain(Incident previous, Incident next, Alert alert, long nowMillis) {
        if (alert.getStatus() != AlertStatus.FIRING || !startsFiring(previous, next, alert)) {
            return Decision.nothing();
        }
        String alertname = TimelineEntries.alertName(alert);
        return Decision.starting(policy.forAlert(alertname).stream()
                .map(step -> timer(next, nowMillis + step.after().toMillis(),
                        TimerName.ofAlert(alertname, step.name(), Episodes.number(next))))
                .toList());
    }

    /** Whether no alert of this one's name fired in the incident's episode before it (its alert chain starts). */
    private static boolean startsFiring(Incident previous, Incident next, Alert alert) {
        String alertname = TimelineEntries.alertName(alert);
        if (previous == null || !previous.getId().equals(next.getId())
                || previous.getReopenCount() != next.getReopenCount() || previous.getState() == IncidentState.RESOLVED) {
            return true;
        }
        return previous.getAlerts().stream().noneMatch(a -> a.getStatus() == AlertStatus.FIRING
                && alertname.equals(a.getAlertname()));
    }

    private static Timer timer(Incident incident, long dueMillis, TimerName name) {
        return new Timer(dueMillis, incident.getId(), name.toString(), incident.getCorrelationKey());
    }

    /**
     * What a due timer issues for the incident now current under its key (null when there is none), if it
     * still applies: not for another incident or episode, not after resolution, not from a replaced chain, not
     * for an alert's chain whose alert stopped firing, and a step not after its {@link EscalationStop}.
     */
    public Decision fire(Timer timer, Incident incident, long nowMillis, ActionsTaken actions) {
        TimerName name = TimerName.parse(timer.name());
        if (name == null || incident == null || !incident.getId().equals(timer.incidentId())
                || incident.getState() == IncidentState.RESOLVED || name.episode() != Episodes.number(incident)) {
            return Decision.nothing();
        }
        String alertname = name.alertname();
        if (alertname != null) {
            boolean firing = incident.getAlerts().stream().anyMatch(a -> a.getStatus() == AlertStatus.FIRING
                    && alertname.equals(a.getAlertname()));
            return decision(policy.forAlert(alertname).stream()
                    .filter(step -> firing && step.name().equals(name.step()) && step.until().stillApplies(incident))
                    .findFirst()
                    .map(step -> escalate(incident, step, alertname + "." + step.name(), "alert/" + alertname,
                            nowMillis, actions)).stream().toList(), List.of());
        }
        if (!name.chain().equals(incident.getSeverity().name())) {
            return Decision.nothing();
        }
        SeverityEscalation escalation = policy.forSeverity(incident.getSeverity());
        if (name.isReminder()) {
            if (!escalation.remindsOfUpdates()) {
                return Decision.nothing();
            }
            long next = nowMillis + escalation.statusUpdateEvery().toMillis();
            return decision(reminders(incident, escalation, timer, nowMillis, next, actions),
                    List.of(new Timer(next, incident.getId(), timer.name(), incident.getCorrelationKey())));
        }
        return decision(escalation.steps().stream()
                .filter(step -> step.name().equals(name.step()) && step.until().stillApplies(incident))
                .findFirst()
                .map(step -> escalate(incident, step, step.name(), incident.getSeverity().name(), nowMillis, actions))
                .stream().toList(), List.of());
    }

    /** The fired commands with their entries (the incident itself unchanged), and the timers to start. */
    static Decision decision(List<Fired> fired, List<Timer> timers) {
        return new Decision(null, fired.stream().map(Fired::event).toList(),
                fired.stream().map(Fired::command).toList(), timers);
    }

    private Fired escalate(Incident incident, EscalationStep step, String stepId, String chain, long nowMillis,
            ActionsTaken actions) {
        String event = switch (step.type()) {
            case PAGE -> "trigger";
            default -> "opened";
        };
        Map<String, String> parameters = notice.parameters(incident, event, null, actions.of(incident));
        String reason = step.type() + " " + step.channelId() + ": " + incident.getSeverity() + " " + incident.getTitle();
        ActionCommand command = command(incident, Episodes.commandIdPrefix(incident) + "/escalation/" + stepId,
                step.type(), step.channelKind(), step.channel(), parameters, "escalation/" + chain + "#" + step.name(),
                reason, nowMillis);
        return new Fired(command, event(incident, IncidentEventType.ESCALATED, nowMillis, command,
                "escalated: " + step.name() + " (" + step.channelId() + ")"));
    }

    /**
     * One status update per update channel. The first keeps the id of earlier releases; the others add their
     * channel, so each reaches its worker once. A ticket channel gets TICKET update (a comment), others NOTIFY.
     */
    private List<Fired> reminders(Incident incident, SeverityEscalation escalation, Timer timer, long nowMillis,
            long nextMillis, ActionsTaken actions) {
        Map<String, String> parameters = notice.parameters(incident, "update", Instant.ofEpochMilli(nextMillis),
                actions.of(incident));
        String baseId = Episodes.commandIdPrefix(incident) + "/status-update/" + timer.dueMillis();
        List<Fired> fired = new ArrayList<>();
        List<String> channels = escalation.updateChannels();
        for (int i = 0; i < channels.size(); i++) {
            String[] channel = channels.get(i).split("/", 2);
            ActionType type = channel[0].equals("ticket") || channel[0].equals("jira") ? ActionType.TICKET
                    : ActionType.NOTIFY;
            ActionCommand command = command(incident, i == 0 ? baseId : baseId + "/" + channels.get(i), type,
                    channel[0], channel[1], parameters, "escalation/" + incident.getSeverity() + "#" + Timer.REMINDER,
                    "status update due for " + incident.getSeverity() + " " + incident.getTitle(), nowMillis);
            fired.add(new Fired(command, event(incident, IncidentEventType.STATUS_UPDATE_DUE, nowMillis, command,
                    "status update due (every " + escalation.statusUpdateEvery().toMinutes() + " min for "
                            + incident.getSeverity() + ") to " + channels.get(i))));
        }
        return fired;
    }

    ActionCommand command(Incident incident, String commandId, ActionType type, String kind, String channel,
            Map<String, String> parameters, String runbook, String reason, long nowMillis) {
        return ActionCommand.newBuilder()
                .setCommandId(commandId)
                .setIncidentId(incident.getId())
                // the worker copies it onto the result, which comes back to this key's task by it alone
                .setCorrelationKey(incident.getCorrelationKey())
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

    IncidentNotice notice() {
        return notice;
    }

    static IncidentEvent event(Incident incident, IncidentEventType type, long nowMillis,
            ActionCommand command, String message) {
        return IncidentEvent.newBuilder()
                .setEventId(EventIds.of(incident.getId(), nowMillis, type, command.getCommandId()))
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
}

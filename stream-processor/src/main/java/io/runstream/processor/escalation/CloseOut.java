package io.runstream.processor.escalation;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.runstream.avro.ActionCommand;
import io.runstream.avro.ActionType;
import io.runstream.avro.Incident;
import io.runstream.avro.IncidentEventType;
import io.runstream.avro.IncidentState;
import io.runstream.processor.correlation.Decision;

/**
 * Tells every channel that heard of an episode how it ended, so Runstream and the tools people answer from never
 * disagree (runbook 003, "Step 4: Resolve PagerDuty Alert"; runbook 003's "Resolution Notification"): on
 * acknowledgement, PagerDuty {@code acknowledge} for each PagerDuty level paged and an {@code update} (status
 * acknowledged, commander: who) to each Slack channel messaged; on resolution, PagerDuty
 * {@code resolve} with the same {@code dedup_key} (the incident id) for each level paged, a resolution message to
 * each Slack channel or webhook messaged, the ticket resolved where one was opened. Each is an action command with
 * its own id, so its result lands on the timeline.
 */
public final class CloseOut {

    private final Escalations escalations;

    public CloseOut(Escalations escalations) {
        this.escalations = escalations;
    }

    /** The commands the change from {@code before} to {@code after} (the same incident and episode) calls for. */
    public Decision of(Incident before, Incident after, long nowMillis, Escalations.ActionsTaken actions) {
        if (before == null || after == null || !before.getId().equals(after.getId())
                || Episodes.number(before) != Episodes.number(after) || before.getState() == IncidentState.RESOLVED) {
            return Decision.nothing();
        }
        if (after.getState() == IncidentState.RESOLVED) {
            return Escalations.decision(resolved(after, nowMillis, actions), List.of());
        }
        if (before.getAcknowledgedAt() == null && after.getAcknowledgedAt() != null) {
            return Escalations.decision(acknowledged(after, nowMillis, actions), List.of());
        }
        return Decision.nothing();
    }

    private List<Escalations.Fired> acknowledged(Incident incident, long nowMillis, Escalations.ActionsTaken actions) {
        List<Escalations.Fired> fired = new ArrayList<>();
        for (String channel : incident.getNotifiedChannels()) {
            String[] parts = channel.split("/", 2);
            if (parts.length == 2 && parts[0].equals("pagerduty")) {
                fired.add(send(incident, "acknowledge", ActionType.PAGE, parts, "acknowledge", nowMillis, actions,
                        "acknowledge the PagerDuty incident on " + channel));
            } else if (parts.length == 2 && parts[0].equals("slack")) {
                // the notice names the commander; the Slack app edits the incident's message with it
                fired.add(send(incident, "acknowledge", ActionType.NOTIFY, parts, "update", nowMillis, actions,
                        "tell " + channel + " who acknowledged"));
            }
        }
        return fired;
    }

    private List<Escalations.Fired> resolved(Incident incident, long nowMillis, Escalations.ActionsTaken actions) {
        List<Escalations.Fired> fired = new ArrayList<>();
        for (String channel : incident.getNotifiedChannels()) {
            String[] parts = channel.split("/", 2);
            if (parts.length != 2) {
                continue;
            }
            switch (parts[0]) {
                case "pagerduty" -> fired.add(send(incident, "close-out", ActionType.PAGE, parts, "resolve",
                        nowMillis, actions, "resolve the PagerDuty incident on " + channel));
                case "ticket" -> fired.add(send(incident, "close-out", ActionType.TICKET, parts, "resolved",
                        nowMillis, actions, "resolve the ticket in " + channel));
                default -> fired.add(send(incident, "close-out", ActionType.NOTIFY, parts, "resolved", nowMillis,
                        actions, "post the resolution to " + channel));
            }
        }
        return fired;
    }

    private Escalations.Fired send(Incident incident, String kind, ActionType type, String[] channel, String event,
            long nowMillis, Escalations.ActionsTaken actions, String what) {
        Map<String, String> parameters = escalations.notice().parameters(incident, event, null, actions.of(incident));
        String channelId = channel[0] + "/" + channel[1];
        ActionCommand command = escalations.command(incident, Episodes.commandIdPrefix(incident) + "/" + kind + "/"
                + channelId, type, channel[0], channel[1], parameters, "close-out#" + event, what, nowMillis);
        return new Escalations.Fired(command, Escalations.event(incident, IncidentEventType.ACTION_ISSUED, nowMillis,
                command, "close-out: " + what));
    }
}

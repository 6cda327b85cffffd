package io.runstream.processor.escalation;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import io.runstream.avro.ActionCommand;
import io.runstream.avro.ActionType;
import io.runstream.avro.Incident;

/**
 * Remembers on the incident which channels were told about its current episode (a page triggered, a message or
 * a ticket opened), the list {@link CloseOut} acknowledges and resolves. Close-out commands themselves add nothing.
 */
public final class NotifiedChannels {

    private static final Set<ActionType> NOTIFICATIONS = Set.of(ActionType.PAGE, ActionType.NOTIFY, ActionType.TICKET);
    private static final Set<String> CLOSING_EVENTS = Set.of("acknowledge", "resolve", "resolved");

    /** A notice that closes what an earlier one opened (PagerDuty acknowledge/resolve, "resolved"): it pages nobody. */
    public static boolean closes(ActionCommand command) {
        return CLOSING_EVENTS.contains(command.getParameters().get("event"));
    }

    private NotifiedChannels() {
    }

    /** The incident with the commands' channels added, or null when it already knew them all. */
    public static Incident withChannelsOf(Incident incident, List<ActionCommand> commands) {
        List<String> channels = new ArrayList<>(incident.getNotifiedChannels());
        boolean added = false;
        for (ActionCommand command : commands) {
            if (!NOTIFICATIONS.contains(command.getType()) || !command.getIncidentId().equals(incident.getId())
                    || closes(command)) {
                continue;
            }
            String channel = command.getTarget().getKind() + "/" + command.getTarget().getName();
            if (!channels.contains(channel)) {
                channels.add(channel);
                added = true;
            }
        }
        return added ? Incident.newBuilder(incident).setNotifiedChannels(channels).build() : null;
    }
}

package io.runstream.processor.command;

import java.time.Instant;
import java.util.Map;

import io.runstream.avro.Incident;
import io.runstream.avro.IncidentCommand;
import io.runstream.avro.IncidentEvent;
import io.runstream.avro.IncidentEventType;
import io.runstream.avro.IncidentState;
import io.runstream.processor.recovery.IncidentDurations;
import io.runstream.schemas.EventIds;

/**
 * Applies a person's (or an on-call tool's) command to an incident: acknowledge stops escalation, resolve closes
 * it, assign names an owner, comment adds a note. Anything that does not fit the incident's state is rejected
 * with the reason on the timeline, never an exception.
 */
public final class IncidentCommands {

    private IncidentCommands() {
    }

    /** @param current the incident currently held under the command's correlation key, or null */
    public static CommandOutcome apply(Incident current, IncidentCommand command, long nowMillis) {
        if (current == null || !current.getId().equals(command.getIncidentId())) {
            return rejected(command, current, nowMillis, "incident " + command.getIncidentId()
                    + " is not the current incident of its services (it was superseded by a newer one)");
        }
        IncidentState state = current.getState();
        Incident next = Incident.newBuilder(current).setUpdatedAt(Instant.ofEpochMilli(nowMillis)).build();
        switch (command.getType()) {
            case ACKNOWLEDGE -> {
                if (state == IncidentState.RESOLVED) {
                    return rejected(command, current, nowMillis, "a resolved incident cannot be acknowledged");
                }
                if (current.getAcknowledgedAt() != null) {
                    return rejected(command, current, nowMillis, "already acknowledged by "
                            + current.getAcknowledgedBy());
                }
                next.setAcknowledgedAt(Instant.ofEpochMilli(nowMillis));
                next.setAcknowledgedBy(command.getActor());
                if (state == IncidentState.OPEN) {
                    next.setState(IncidentState.ACKNOWLEDGED);
                }
                return accepted(next, command, nowMillis, IncidentEventType.ACKNOWLEDGED,
                        "acknowledged by " + command.getActor() + ": escalation stopped");
            }
            case RESOLVE -> {
                if (state == IncidentState.RESOLVED) {
                    return rejected(command, current, nowMillis, "already resolved by " + current.getResolvedBy());
                }
                next.setState(IncidentState.RESOLVED);
                next.setResolvedAt(Instant.ofEpochMilli(nowMillis));
                next.setResolvedBy(command.getActor());
                return new CommandOutcome(next, event(command, IncidentEventType.RESOLVED, nowMillis, "resolved by "
                        + command.getActor() + (command.getNote() == null ? "" : ": " + command.getNote()), next,
                        IncidentDurations.of(next)));
            }
            case ASSIGN -> {
                if (command.getAssignee() == null || command.getAssignee().isBlank()) {
                    return rejected(command, current, nowMillis, "assign needs an assignee");
                }
                if (state == IncidentState.RESOLVED) {
                    return rejected(command, current, nowMillis, "a resolved incident cannot be assigned");
                }
                next.setAssignee(command.getAssignee());
                return accepted(next, command, nowMillis, IncidentEventType.ASSIGNED,
                        "assigned to " + command.getAssignee() + " by " + command.getActor());
            }
            case COMMENT -> {
                if (command.getNote() == null || command.getNote().isBlank()) {
                    return rejected(command, current, nowMillis, "a comment needs a note");
                }
                return accepted(next, command, nowMillis, IncidentEventType.COMMENTED,
                        command.getActor() + ": " + command.getNote());
            }
            case APPROVE -> {
                return rejected(command, current, nowMillis, "no action of this incident awaits approval"
                        + (command.getActionCommandId() == null ? "" : " (" + command.getActionCommandId() + ")"));
            }
            default -> {
                return rejected(command, current, nowMillis, "unknown command type " + command.getType());
            }
        }
    }

    /** A rejection with no incident at all to look at, e.g. an unknown incident id. */
    public static IncidentEvent unknownIncident(IncidentCommand command, long nowMillis) {
        return rejected(command, null, nowMillis, "no incident " + command.getIncidentId()).event();
    }

    private static CommandOutcome accepted(Incident next, IncidentCommand command, long nowMillis,
            IncidentEventType type, String message) {
        return new CommandOutcome(next, event(command, type, nowMillis, message, next, Map.of()));
    }

    private static CommandOutcome rejected(IncidentCommand command, Incident current, long nowMillis, String reason) {
        return new CommandOutcome(null, event(command, IncidentEventType.COMMAND_REJECTED, nowMillis,
                command.getType() + " rejected: " + reason, current,
                Map.of("command", command.getType().name(), "reason", reason)));
    }

    private static IncidentEvent event(IncidentCommand command, IncidentEventType type, long nowMillis,
            String message, Incident incident, Map<String, String> details) {
        Map<String, String> all = new java.util.HashMap<>(details);
        all.put("commandId", command.getCommandId());
        all.put("source", command.getSource());
        return IncidentEvent.newBuilder()
                // From the command id: a retried or replayed command makes the same entry, not a second one.
                .setEventId(EventIds.ofCommand(command.getIncidentId(), command.getCommandId()))
                .setIncidentId(command.getIncidentId())
                .setType(type)
                .setAt(Instant.ofEpochMilli(nowMillis))
                .setMessage(message)
                .setSeverity(incident == null ? null : incident.getSeverity())
                .setActor(command.getActor())
                .setDetails(all)
                .build();
    }
}

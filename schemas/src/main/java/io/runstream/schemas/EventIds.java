package io.runstream.schemas;

import io.runstream.avro.IncidentEventType;

/**
 * The ids of {@code incident-events} entries. An id is built only from what the entry is about (incident, time
 * of the decision on the processor's clock, type, subject), never from a counter or a random value, so a replay
 * of the same inputs after a crash makes the same ids and readers (inbox, timeline) keep one entry, not two.
 * Ids are persisted (the timeline and inbox stores, the topic): the format below must not change.
 */
public final class EventIds {

    private EventIds() {
    }

    /**
     * {@code incidentId/atMillis/TYPE[/subject...]}: a decision's entry; {@code subject} names what it is about
     * (an alert fingerprint, a command id, a runbook and its step) so one decision's entries differ. Null parts
     * of the subject are left out.
     */
    public static String of(String incidentId, long atMillis, IncidentEventType type, String... subject) {
        StringBuilder id = new StringBuilder(incidentId).append('/').append(atMillis).append('/').append(type);
        for (String part : subject) {
            if (part != null) {
                id.append('/').append(part);
            }
        }
        return id.toString();
    }

    /**
     * {@code incidentId/command/commandId}: the entry of an incident command (acknowledge, resolve...), from the
     * command's id alone, so a retried or replayed command makes the same entry whenever it is processed.
     */
    public static String ofCommand(String incidentId, String commandId) {
        return incidentId + "/command/" + commandId;
    }
}

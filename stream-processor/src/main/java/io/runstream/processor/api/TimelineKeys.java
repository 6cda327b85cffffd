package io.runstream.processor.api;

import io.runstream.avro.IncidentEvent;

/**
 * Keys of the timeline store: {@code incidentId '|' zero-padded epoch millis '|' eventId}; string order is time
 * order within an incident, and {@link #prefix} selects one incident.
 */
final class TimelineKeys {

    private TimelineKeys() {
    }

    static String of(IncidentEvent event) {
        return prefix(event.getIncidentId()) + String.format("%015d", event.getAt().toEpochMilli()) + '|'
                + event.getEventId();
    }

    static String prefix(String incidentId) {
        return incidentId + '|';
    }
}

package io.runstream.processor.api;

import io.runstream.avro.IncidentEvent;

/**
 * Keys of the timeline store: {@code incidentId '|' zero-padded epoch millis '|' zero-padded offset '|' eventId};
 * string order is time order within an incident, and entries of the same millisecond keep the order they were
 * written in (their offset in the partition). {@link #prefix} selects one incident.
 */
final class TimelineKeys {

    private TimelineKeys() {
    }

    static String of(IncidentEvent event, long offset) {
        return prefix(event.getIncidentId()) + String.format("%015d|%019d|", event.getAt().toEpochMilli(), offset)
                + event.getEventId();
    }

    static String prefix(String incidentId) {
        return incidentId + '|';
    }
}

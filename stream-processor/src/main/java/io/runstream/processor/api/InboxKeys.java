package io.runstream.processor.api;

import io.runstream.avro.IncidentEvent;

/**
 * Keys of {@code inbox-store}: {@code zero-padded epoch millis '|' eventId}, so string order is time order and a
 * reverse scan of a partition's store reads its deliveries newest first.
 */
final class InboxKeys {

    private InboxKeys() {
    }

    static String of(IncidentEvent event) {
        return String.format("%015d|%s", event.getAt().toEpochMilli(), event.getEventId());
    }
}

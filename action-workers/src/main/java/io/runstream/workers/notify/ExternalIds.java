package io.runstream.workers.notify;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The id an external system gave an incident (a Statuspage incident id, a Jira issue key), by Runstream incident id,
 * bounded with the oldest forgotten first. A miss is not an error: the channel then looks the incident up on the
 * external system, which is how it finds its id again after a restart.
 */
final class ExternalIds {

    private final Map<String, String> ids;

    ExternalIds(int capacity) {
        this.ids = new LinkedHashMap<>(16, 0.75f, false) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
                return size() > capacity;
            }
        };
    }

    synchronized Optional<String> get(String incidentId) {
        return Optional.ofNullable(ids.get(incidentId));
    }

    synchronized void put(String incidentId, String externalId) {
        ids.put(incidentId, externalId);
    }
}

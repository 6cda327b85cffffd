package io.runstream.testing;

import com.fasterxml.jackson.databind.JsonNode;

/** Conditions on an incident as the incident API shows it ({@code GET /api/v1/incidents/{id}}). */
public final class IncidentJson {

    private IncidentJson() {
    }

    /**
     * Whether the incident is in {@code state} and its timeline already shows the entry of that name. The timeline
     * store is indexed from the incident-events topic, one commit behind the incident record, so a test that awaits
     * the state alone can read the record ahead of its timeline.
     */
    public static boolean reached(JsonNode incident, String state) {
        return incident != null
                && state.equals(incident.path("state").asText())
                && incident.path("timeline").findValuesAsText("type").contains(state);
    }
}

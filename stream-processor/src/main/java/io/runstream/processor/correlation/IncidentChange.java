package io.runstream.processor.correlation;

import java.util.List;

import io.runstream.avro.Incident;
import io.runstream.avro.IncidentEvent;

/** What one alert did to an incident: its new state, and the timeline entries that explain the change. */
public record IncidentChange(Incident incident, List<IncidentEvent> events) {

    public IncidentChange {
        events = List.copyOf(events);
    }
}

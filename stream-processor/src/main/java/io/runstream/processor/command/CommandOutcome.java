package io.runstream.processor.command;

import io.runstream.avro.Incident;
import io.runstream.avro.IncidentEvent;

/** An applied command (the incident's new state and its timeline entry) or a rejected one (the entry says why). */
public record CommandOutcome(Incident incident, IncidentEvent event) {

    public boolean accepted() {
        return incident != null;
    }
}

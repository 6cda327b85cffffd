package io.runstream.processor.command;

import java.util.List;

import io.runstream.avro.Incident;
import io.runstream.avro.IncidentEvent;
import io.runstream.processor.correlation.Decision;

/** An applied command (the incident's new state and its timeline entry) or a rejected one (the entry says why). */
public record CommandOutcome(Incident incident, IncidentEvent event) {

    public boolean accepted() {
        return incident != null;
    }

    /** The command stage's decision: the new state when accepted, and the entry either way. */
    public Decision decision() {
        return Decision.of(incident, List.of(event));
    }
}

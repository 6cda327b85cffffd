package io.runstream.processor.correlation;

import java.util.List;

import io.runstream.avro.ActionCommand;
import io.runstream.avro.Incident;
import io.runstream.avro.IncidentEvent;

/**
 * What one input (an alert, a command, a due timer) did: the incident's new state (null when only timeline
 * entries and commands result, as from a timer), the timeline entries that explain it, and the action commands
 * it issues.
 */
public record IncidentChange(Incident incident, List<IncidentEvent> events, List<ActionCommand> commands) {

    public IncidentChange {
        events = List.copyOf(events);
        commands = List.copyOf(commands);
    }

    public IncidentChange(Incident incident, List<IncidentEvent> events) {
        this(incident, events, List.of());
    }

    /** The new state as a list of zero or one, for {@code flatMapValues}. */
    public List<Incident> state() {
        return incident == null ? List.of() : List.of(incident);
    }
}

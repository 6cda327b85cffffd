package io.runstream.processor.correlation;

import java.util.Collections;
import java.util.List;

import io.runstream.avro.ActionCommand;
import io.runstream.avro.Incident;
import io.runstream.avro.IncidentEvent;

/**
 * What one input (an alert, a command, a due timer) did: the incident's new state (null when only timeline
 * entries and commands result, as from a timer), the timeline entries that explain it, and the action commands
 * it issues; or, {@code deleted}, that the incident aged out past retention (tombstones for {@code incidents} and the
 * read side's timeline).
 */
public record IncidentChange(Incident incident, List<IncidentEvent> events, List<ActionCommand> commands,
        boolean deleted) {

    public IncidentChange {
        events = List.copyOf(events);
        commands = List.copyOf(commands);
    }

    public IncidentChange(Incident incident, List<IncidentEvent> events, List<ActionCommand> commands) {
        this(incident, events, commands, false);
    }

    /** The incident (the record's key) was deleted past retention. */
    public static IncidentChange deletion() {
        return new IncidentChange(null, List.of(), List.of(), true);
    }

    public IncidentChange(Incident incident, List<IncidentEvent> events) {
        this(incident, events, List.of());
    }

    /** The new state as a list of zero or one, for {@code flatMapValues}; a deletion's is one null, a tombstone. */
    public List<Incident> state() {
        if (deleted) {
            return Collections.singletonList(null);
        }
        return incident == null ? List.of() : List.of(incident);
    }

    /**
     * The timeline entries for {@code incident-events}; a deletion's is one null, which tells the read side to
     * delete the incident's timeline (the topic itself keeps its entries for its own retention, as an audit log).
     */
    public List<IncidentEvent> timeline() {
        return deleted ? Collections.singletonList(null) : events;
    }
}

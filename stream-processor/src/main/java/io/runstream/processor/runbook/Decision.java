package io.runstream.processor.runbook;

import java.util.List;

import io.runstream.avro.ActionCommand;
import io.runstream.avro.Incident;
import io.runstream.avro.IncidentEvent;

/** What the runbook stage decided: the incident's new state (null if unchanged), timeline entries, commands. */
public record Decision(Incident incident, List<IncidentEvent> events, List<ActionCommand> commands) {

    public Decision {
        events = List.copyOf(events);
        commands = List.copyOf(commands);
    }

    public static Decision nothing() {
        return new Decision(null, List.of(), List.of());
    }

    public boolean isEmpty() {
        return incident == null && events.isEmpty() && commands.isEmpty();
    }
}

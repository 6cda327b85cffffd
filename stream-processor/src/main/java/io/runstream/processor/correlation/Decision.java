package io.runstream.processor.correlation;

import java.util.ArrayList;
import java.util.List;

import io.runstream.avro.ActionCommand;
import io.runstream.avro.Incident;
import io.runstream.avro.IncidentEvent;
import io.runstream.processor.escalation.Timer;

/**
 * What a stage decided about one incident: its new state (null when unchanged), the timeline entries that explain
 * it, the action commands it issues and the timers it starts. Stages only decide; {@link IncidentWriter} applies
 * the pipeline's combined decision to the stores and outputs, in one place.
 */
public record Decision(Incident incident, List<IncidentEvent> events, List<ActionCommand> commands,
        List<Timer> timers) {

    public Decision {
        events = List.copyOf(events);
        commands = List.copyOf(commands);
        timers = List.copyOf(timers);
    }

    public Decision(Incident incident, List<IncidentEvent> events, List<ActionCommand> commands) {
        this(incident, events, commands, List.of());
    }

    public static Decision nothing() {
        return new Decision(null, List.of(), List.of(), List.of());
    }

    /** A new state and the entries that explain it. */
    public static Decision of(Incident incident, List<IncidentEvent> events) {
        return new Decision(incident, events, List.of(), List.of());
    }

    /** Only timers to start. */
    public static Decision starting(List<Timer> timers) {
        return new Decision(null, List.of(), List.of(), timers);
    }

    /**
     * This decision followed by a later stage's: the later state wins when it has one; entries, commands and timers
     * keep their order. The one place decisions are merged.
     */
    public Decision then(Decision next) {
        if (next.isEmpty()) {
            return this;
        }
        return new Decision(next.incident != null ? next.incident : incident, concat(events, next.events),
                concat(commands, next.commands), concat(timers, next.timers));
    }

    /** The incident as this decision leaves it: its new state, else {@code current}. */
    public Incident incidentOr(Incident current) {
        return incident != null ? incident : current;
    }

    public boolean isEmpty() {
        return incident == null && events.isEmpty() && commands.isEmpty() && timers.isEmpty();
    }

    private static <T> List<T> concat(List<T> first, List<T> second) {
        if (first.isEmpty()) {
            return second;
        }
        if (second.isEmpty()) {
            return first;
        }
        List<T> all = new ArrayList<>(first.size() + second.size());
        all.addAll(first);
        all.addAll(second);
        return all;
    }
}

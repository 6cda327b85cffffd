package io.runstream.processor.command;

import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Joined;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;

import io.runstream.avro.Incident;
import io.runstream.avro.IncidentCommand;
import io.runstream.avro.IncidentEvent;
import io.runstream.schemas.Topic;

/**
 * Brings incident commands (keyed by incident id) to the task that owns the incident's state (keyed by
 * correlation key): the incidents table, co-partitioned with the commands, says which key that is. A command
 * for an incident nobody knows is rejected on that id's timeline right here.
 */
public final class CommandRouting {

    public static final String SOURCE = "incident-commands-source";
    public static final String LOOKUP = "incident-commands-lookup";
    public static final String SPLIT = "incident-commands-";
    public static final String UNKNOWN_REJECTION = "incident-commands-unknown-rejection";
    public static final String UNKNOWN_SINK = "incident-commands-unknown-sink";
    public static final String REKEY = "incident-commands-correlation-key";
    public static final String REPARTITION = "incident-commands-by-correlation-key";

    private CommandRouting() {
    }

    /** A command with the correlation key of its incident (null when the incident is unknown). */
    record Routed(IncidentCommand command, String correlationKey) {
    }

    public static KStream<String, IncidentCommand> byCorrelationKey(StreamsBuilder builder,
            Topic<String, IncidentCommand> commandsTopic, KTable<String, Incident> incidents,
            Topic<String, Incident> incidentsTopic, Topic<String, IncidentEvent> eventsTopic) {
        KStream<String, Routed> routed = builder
                .stream(commandsTopic.name(), Consumed.with(commandsTopic.keySerde(), commandsTopic.valueSerde())
                        .withName(SOURCE))
                .filter((id, command) -> id != null && command != null, Named.as(SOURCE + "-present"))
                .leftJoin(incidents, (command, incident) -> new Routed(command,
                                incident == null ? null : incident.getCorrelationKey()),
                        Joined.with(commandsTopic.keySerde(), commandsTopic.valueSerde(), incidentsTopic.valueSerde())
                                .withName(LOOKUP));
        var branches = routed.split(Named.as(SPLIT))
                .branch((id, r) -> r.correlationKey() == null, Branched.as("unknown"))
                .defaultBranch(Branched.as("known"));
        branches.get(SPLIT + "unknown")
                .mapValues((id, r) -> IncidentCommands.unknownIncident(r.command(),
                        r.command().getIssuedAt().toEpochMilli()), Named.as(UNKNOWN_REJECTION))
                .to(eventsTopic.name(), Produced.with(eventsTopic.keySerde(), eventsTopic.valueSerde())
                        .withName(UNKNOWN_SINK));
        return branches.get(SPLIT + "known")
                .map((id, r) -> KeyValue.pair(r.correlationKey(), r.command()), Named.as(REKEY))
                .repartition(Repartitioned.<String, IncidentCommand>as(REPARTITION)
                        .withKeySerde(commandsTopic.keySerde()).withValueSerde(commandsTopic.valueSerde()));
    }
}

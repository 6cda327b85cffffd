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

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.runstream.avro.Incident;
import io.runstream.avro.IncidentCommand;
import io.runstream.avro.IncidentEvent;
import io.runstream.processor.correlation.CarriedKeys;
import io.runstream.schemas.Topic;

/**
 * Brings incident commands (keyed by incident id) to the task that owns the incident's state (keyed by
 * correlation key). A command carries the key when its sender knew it (the incident API resolves it once when it
 * accepts the command; a Slack button hands back the key the workers put on it) and is routed by it. A command
 * without it (PagerDuty's webhook cannot carry it; senders of earlier releases) is looked up once in the incidents
 * table, co-partitioned with the commands by incident id; one for an incident nobody knows is rejected on that id's
 * timeline right here. {@code runstream_incident_commands_routed{by}} counts each way.
 */
public final class CommandRouting {

    public static final String SOURCE = "incident-commands-source";
    /** Dead-letters a command without a value, or without both a key it carries and an incident id. */
    public static final String CHECK = "incident-commands-source-present";
    public static final String ROUTE = "incident-commands-route-";
    public static final String CARRIED_KEY = "incident-commands-carried-key";
    public static final String LOOKUP = "incident-commands-lookup";
    public static final String SPLIT = "incident-commands-";
    public static final String UNKNOWN_REJECTION = "incident-commands-unknown-rejection";
    public static final String UNKNOWN_SINK = "incident-commands-unknown-sink";
    public static final String REKEY = "incident-commands-correlation-key";
    public static final String MERGE = "incident-commands-routed";
    public static final String REPARTITION = "incident-commands-by-correlation-key";

    private CommandRouting() {
    }

    /** A command with the correlation key of its incident (null when the incident is unknown). */
    record Routed(IncidentCommand command, String correlationKey) {
    }

    public static KStream<String, IncidentCommand> byCorrelationKey(StreamsBuilder builder,
            Topic<String, IncidentCommand> commandsTopic, KTable<String, Incident> incidents,
            Topic<String, Incident> incidentsTopic, Topic<String, IncidentEvent> eventsTopic,
            MeterRegistry registry) {
        Counter carried = routed(registry, "carried", "Incident commands routed by the correlation key they carry");
        Counter lookedUp = routed(registry, "lookup",
                "Incident commands without a correlation key, routed by looking their incident up (PagerDuty)");
        Counter unknown = routed(registry, "unknown_incident",
                "Incident commands without a correlation key for an incident the table does not hold (rejected)");
        var bySender = builder
                .stream(commandsTopic.name(), Consumed.with(commandsTopic.keySerde(), commandsTopic.valueSerde())
                        .withName(SOURCE))
                .mapValues(CarriedKeys::routable, Named.as(CHECK))
                .split(Named.as(ROUTE))
                .branch((id, command) -> CarriedKeys.carriesKey(command), Branched.as("carried"))
                .defaultBranch(Branched.as("lookup"));
        KStream<String, IncidentCommand> byCarriedKey = bySender.get(ROUTE + "carried")
                .selectKey((id, command) -> {
                    carried.increment();
                    return command.getCorrelationKey();
                }, Named.as(CARRIED_KEY));
        KStream<String, Routed> routed = bySender.get(ROUTE + "lookup")
                .leftJoin(incidents, (command, incident) -> new Routed(command,
                                incident == null ? null : incident.getCorrelationKey()),
                        Joined.with(commandsTopic.keySerde(), commandsTopic.valueSerde(), incidentsTopic.valueSerde())
                                .withName(LOOKUP));
        var branches = routed.split(Named.as(SPLIT))
                .branch((id, r) -> r.correlationKey() == null, Branched.as("unknown"))
                .defaultBranch(Branched.as("known"));
        branches.get(SPLIT + "unknown")
                .mapValues((id, r) -> {
                    unknown.increment();
                    return IncidentCommands.unknownIncident(r.command(), r.command().getIssuedAt().toEpochMilli());
                }, Named.as(UNKNOWN_REJECTION))
                .to(eventsTopic.name(), Produced.with(eventsTopic.keySerde(), eventsTopic.valueSerde())
                        .withName(UNKNOWN_SINK));
        return branches.get(SPLIT + "known")
                .map((id, r) -> {
                    lookedUp.increment();
                    return KeyValue.pair(r.correlationKey(), r.command());
                }, Named.as(REKEY))
                .merge(byCarriedKey, Named.as(MERGE))
                .repartition(Repartitioned.<String, IncidentCommand>as(REPARTITION)
                        .withKeySerde(commandsTopic.keySerde()).withValueSerde(commandsTopic.valueSerde()));
    }

    private static Counter routed(MeterRegistry registry, String by, String description) {
        return Counter.builder("runstream_incident_commands_routed").tag("by", by).description(description)
                .register(registry);
    }
}

package io.runstream.processor;

import java.time.Duration;
import java.util.Properties;

import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;

import io.micrometer.core.instrument.MeterRegistry;
import io.runstream.avro.Alert;
import io.runstream.avro.Incident;
import io.runstream.processor.command.CommandRouting;
import io.runstream.processor.api.IncidentViews;
import io.runstream.processor.correlation.CorrelationMetrics;
import io.runstream.processor.correlation.CorrelationStage;
import io.runstream.processor.correlation.IncidentChange;
import io.runstream.processor.correlation.IncidentInputs;
import io.runstream.processor.correlation.IncidentPolicies;
import io.runstream.processor.correlation.ServiceImpact;
import io.runstream.processor.dedup.DedupMetrics;
import io.runstream.processor.detection.DetectionMetrics;
import io.runstream.processor.detection.DetectionStage;
import io.runstream.processor.dedup.DedupStage;
import io.runstream.processor.severity.SeverityClassifier;
import io.runstream.processor.rules.RulesFile;
import io.runstream.processor.runbook.RunbookInputs;
import io.runstream.processor.runbook.Runbooks;
import io.runstream.schemas.PartitionKeys;
import io.runstream.schemas.Topic;
import io.runstream.schemas.TopicCatalog;

/**
 * Wires the pipeline's stages, in the order of DESIGN.md, and nothing else. The stages themselves live in
 * their own packages; every processor, store and repartition topic is named there. Two applications by volume:
 * detection (metric samples, high volume) and the incident stages (alerts onwards, low volume), joined by the
 * alerts and service-impact topics; run as two Kafka Streams instances ({@code streams.topology: split}) or as
 * one ({@code single}).
 */
public final class RunstreamTopology {

    public static final String ALERTS_SOURCE = "alerts-source";
    public static final String INCIDENT_STATE = "incident-state";
    public static final String INCIDENTS_SINK = "incidents-sink";
    /** How long a window store's changelog keeps records past the store's own retention. */
    public static final Duration WINDOW_CHANGELOG_ADDITIONAL_RETENTION = Duration.ofHours(1);
    public static final String INCIDENT_TIMELINE = "incident-timeline";
    public static final String INCIDENT_EVENTS_SINK = "incident-events-sink";
    public static final String ACTION_COMMANDS = "action-commands";
    public static final String ACTION_COMMAND_KEY = "action-command-key";
    public static final String ACTION_COMMANDS_SINK = "action-commands-sink";

    private RunstreamTopology() {
    }

    /**
     * The Kafka Streams settings this topology is built and run with, applied by the processor, the tests and the
     * benchmarks alike, so that what is measured is what runs.
     * <ul>
     * <li>The incidents topic is already compacted: the incidents store restores from it, no second changelog.
     * <li>No task idling ({@code max.task.idle.ms=-1}): a task processes what it has buffered without first
     * checking whether its other inputs have unfetched data. Detection's tasks read {@code metric-samples} and
     * the almost always empty {@code drift-scores}, and Kafka Streams 4.3 formats diagnostic strings for every
     * such empty partition on every record (10 to 14 % of the stream thread in the profile). What it gives up is
     * the event-time interleaving of records already on the broker but not yet fetched, across inputs that are
     * independent here (samples and drift scores; alerts, commands and action results).
     * <li>Window stores' changelogs keep their records an hour past the store's retention, not Kafka Streams'
     * default day: {@code dedup-store} keeps 10 minutes, and its changelog (one key per alert and window, so
     * compaction frees nothing) grew by 21 MiB an hour through the 2-hour soak towards a day of alerts.
     * </ul>
     */
    public static void applySettings(Properties props) {
        props.put(StreamsConfig.TOPOLOGY_OPTIMIZATION_CONFIG, StreamsConfig.REUSE_KTABLE_SOURCE_TOPICS);
        props.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, Long.toString(StreamsConfig.MAX_TASK_IDLE_MS_DISABLED));
        props.put(StreamsConfig.WINDOW_STORE_CHANGE_LOG_ADDITIONAL_RETENTION_MS_CONFIG,
                Long.toString(WINDOW_CHANGELOG_ADDITIONAL_RETENTION.toMillis()));
    }

    /**
     * Both applications' topologies in one: what {@code streams.topology: single} runs and what the
     * TopologyTestDriver tests drive. The same builders as {@link #buildDetection} and {@link #buildIncidents}, so
     * the split applications run exactly these nodes; detection's sub-topologies come first.
     */
    public static Topology build(TopicCatalog topics, RulesFile rules, Runbooks runbooks, MeterRegistry registry,
            Properties streamsProperties) {
        StreamsBuilder builder = new StreamsBuilder();
        StateStores stores = StateStores.from(streamsProperties);
        addDetection(builder, stores, topics, rules, registry);
        addIncidents(builder, stores, topics, rules, runbooks, registry);
        return builder.build(streamsProperties);
    }

    /** The detection application: metric samples and drift scores in; alerts and service impact out. */
    public static Topology buildDetection(TopicCatalog topics, RulesFile rules, MeterRegistry registry,
            Properties streamsProperties) {
        StreamsBuilder builder = new StreamsBuilder();
        addDetection(builder, StateStores.from(streamsProperties), topics, rules, registry);
        return builder.build(streamsProperties);
    }

    /** The incidents application: alerts, commands, results, rollouts and service impact in; incidents out. */
    public static Topology buildIncidents(TopicCatalog topics, RulesFile rules, Runbooks runbooks,
            MeterRegistry registry, Properties streamsProperties) {
        StreamsBuilder builder = new StreamsBuilder();
        addIncidents(builder, StateStores.from(streamsProperties), topics, rules, runbooks, registry);
        return builder.build(streamsProperties);
    }

    /**
     * Stage 1. Detected alerts go through the alerts topic like Alertmanager's, so both are deduped and correlated
     * alike and the topic is the one record of every alert; impact changes go through the service-impact topic,
     * keyed for correlation.
     */
    private static void addDetection(StreamsBuilder builder, StateStores stores, TopicCatalog topics, RulesFile rules,
            MeterRegistry registry) {
        DetectionStage.Detected detected = DetectionStage.addTo(builder, stores, topics, rules,
                new DetectionMetrics(registry));
        ServiceImpact.publish(detected.impactChanges(), topics.serviceImpact(), rules.correlation());
    }

    /** Stages 2 to 7, and the incidents, timeline and action commands they write. */
    private static void addIncidents(StreamsBuilder builder, StateStores stores, TopicCatalog topics, RulesFile rules,
            Runbooks runbooks, MeterRegistry registry) {
        Topic<String, Alert> alertsTopic = topics.alerts();
        KStream<String, Alert> alerts = builder.stream(alertsTopic.name(),
                Consumed.with(alertsTopic.keySerde(), alertsTopic.valueSerde()).withName(ALERTS_SOURCE));
        KStream<String, Alert> distinct = DedupStage.apply(builder, stores, alerts, alertsTopic.keySerde(),
                alertsTopic.valueSerde(), rules.dedup(), new DedupMetrics(registry));
        KTable<String, Incident> incidents = IncidentViews.addTo(builder, stores, topics.incidents(),
                topics.incidentEvents());
        IncidentInputs inputs = new IncidentInputs(distinct,
                CommandRouting.byCorrelationKey(builder, topics.incidentCommands(), incidents, topics.incidents(),
                        topics.incidentEvents(), registry),
                RunbookInputs.results(builder, topics.actionResults()),
                RunbookInputs.rollouts(builder, topics.deploymentEvents(), rules.correlation()),
                ServiceImpact.read(builder, topics.serviceImpact()));
        KStream<String, IncidentChange> changes = CorrelationStage.apply(builder, stores, inputs, alertsTopic,
                topics.incidents(), new IncidentPolicies(rules.correlation(), new SeverityClassifier(rules.severity()),
                        runbooks.escalation(), runbooks), new CorrelationMetrics(registry));

        changes.flatMapValues(IncidentChange::state, Named.as(INCIDENT_STATE))
                .to(topics.incidents().name(), Produced.with(topics.incidents().keySerde(),
                        topics.incidents().valueSerde()).withName(INCIDENTS_SINK));
        changes.flatMapValues(IncidentChange::timeline, Named.as(INCIDENT_TIMELINE))
                .to(topics.incidentEvents().name(), Produced.with(topics.incidentEvents().keySerde(),
                        topics.incidentEvents().valueSerde()).withName(INCIDENT_EVENTS_SINK));
        // Keyed by target, so that the commands for one resource or channel stay in order.
        changes.flatMapValues(IncidentChange::commands, Named.as(ACTION_COMMANDS))
                .selectKey((incidentId, command) -> PartitionKeys.actionCommand(command), Named.as(ACTION_COMMAND_KEY))
                .to(topics.actionCommands().name(), Produced.with(topics.actionCommands().keySerde(),
                        topics.actionCommands().valueSerde()).withName(ACTION_COMMANDS_SINK));
    }
}

package io.runstream.processor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.runstream.avro.ActionCommand;
import io.runstream.avro.ActionResult;
import io.runstream.avro.DeploymentEvent;
import io.runstream.avro.DriftScore;
import io.runstream.avro.Alert;
import io.runstream.avro.AlertSource;
import io.runstream.avro.AlertStatus;
import io.runstream.avro.Incident;
import io.runstream.avro.IncidentCommand;
import io.runstream.avro.IncidentCommandType;
import io.runstream.avro.IncidentEvent;
import io.runstream.processor.errors.DeadLetterConfig;
import io.runstream.processor.rules.RulesFile;
import io.runstream.processor.rules.RunbooksFiles;
import io.runstream.processor.runbook.Runbooks;
import io.runstream.processor.severity.SeverityPolicy;
import io.runstream.schemas.RunstreamSerdes;
import io.runstream.schemas.TopicCatalog;
import io.runstream.schemas.TopicSettings;

/** The whole topology in a {@link TopologyTestDriver}, with typed topics and event time under test control. */
public final class TopologyFixture implements AutoCloseable {

    public static final Instant T0 = Instant.parse("2026-11-22T18:00:00Z");

    public final TopicCatalog topics = new TopicCatalog(TopicSettings.DEFAULTS, RunstreamSerdes.avro());
    public final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    public final Topology topology;
    public final TopologyTestDriver driver;
    public final TestInputTopic<String, Alert> alerts;
    public final TestInputTopic<byte[], byte[]> rawAlerts;
    public final TestInputTopic<String, IncidentCommand> commands;
    public final TestInputTopic<String, DeploymentEvent> deploymentEvents;
    public final TestInputTopic<String, ActionResult> actionResults;
    public final TestInputTopic<String, DriftScore> driftScores;
    public final TestOutputTopic<String, Incident> incidents;
    public final TestOutputTopic<String, IncidentEvent> incidentEvents;
    public final TestOutputTopic<byte[], byte[]> deadLetters;
    public final TestOutputTopic<String, ActionCommand> actionCommands;

    public TopologyFixture() {
        this(SeverityPolicy.defaults());
    }

    public TopologyFixture(SeverityPolicy severity) {
        this(severity, RunbooksFiles.load(null));
    }

    public TopologyFixture(Runbooks runbooks) {
        this(SeverityPolicy.defaults(), runbooks);
    }

    public TopologyFixture(SeverityPolicy severity, Runbooks runbooks) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "runstream-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9");
        // a directory of its own: the default /tmp/kafka-streams/<app id> collides with any other build running
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir().toString());
        RunstreamTopology.applySettings(props);
        DeadLetterConfig.apply(props, topics.deadLetters().name(), registry);
        RulesFile defaults = RulesFile.defaults();
        topology = RunstreamTopology.build(topics, new RulesFile(defaults.rules(), defaults.dedup(),
                defaults.correlation(), severity, defaults.evaluation()), runbooks, registry, props);
        driver = new TopologyTestDriver(topology, props, T0);
        alerts = driver.createInputTopic(topics.alerts().name(), topics.alerts().keySerde().serializer(),
                topics.alerts().valueSerde().serializer());
        commands = driver.createInputTopic(topics.incidentCommands().name(),
                topics.incidentCommands().keySerde().serializer(), topics.incidentCommands().valueSerde().serializer());
        deploymentEvents = driver.createInputTopic(topics.deploymentEvents().name(),
                topics.deploymentEvents().keySerde().serializer(), topics.deploymentEvents().valueSerde().serializer());
        actionResults = driver.createInputTopic(topics.actionResults().name(),
                topics.actionResults().keySerde().serializer(), topics.actionResults().valueSerde().serializer());
        driftScores = driver.createInputTopic(topics.driftScores().name(),
                topics.driftScores().keySerde().serializer(), topics.driftScores().valueSerde().serializer());
        rawAlerts = driver.createInputTopic(topics.alerts().name(), new ByteArraySerializer(),
                new ByteArraySerializer());
        incidents = driver.createOutputTopic(topics.incidents().name(), topics.incidents().keySerde().deserializer(),
                topics.incidents().valueSerde().deserializer());
        incidentEvents = driver.createOutputTopic(topics.incidentEvents().name(),
                topics.incidentEvents().keySerde().deserializer(), topics.incidentEvents().valueSerde().deserializer());
        actionCommands = driver.createOutputTopic(topics.actionCommands().name(),
                topics.actionCommands().keySerde().deserializer(), topics.actionCommands().valueSerde().deserializer());
        deadLetters = driver.createOutputTopic(topics.deadLetters().name(),
                Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer());
    }

    private static Path stateDir() {
        try {
            return Files.createTempDirectory("topology-test-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends the alert with its record timestamp at {@code T0 + offset}. */
    public void send(Alert alert, Duration offset) {
        alerts.pipeInput(alert.getFingerprint(), alert, T0.plus(offset));
    }

    public static Alert firing(String fingerprint, String alertname, String severity, String service,
            Map<String, String> annotations) {
        return Alert.newBuilder()
                .setFingerprint(fingerprint)
                .setStatus(AlertStatus.FIRING)
                .setLabels(Map.of("alertname", alertname, "severity", severity, "service", service,
                        "namespace", "ml-prod"))
                .setAnnotations(annotations)
                .setStartsAt(T0)
                .setSource(AlertSource.ALERTMANAGER)
                .setReceivedAt(T0)
                .build();
    }

    /** Sends a person's command about the incident at {@code T0 + offset}. */
    public void command(String incidentId, IncidentCommandType type, String actor, Duration offset,
            String assigneeOrNote) {
        IncidentCommand command = IncidentCommand.newBuilder()
                .setCommandId(incidentId + "-" + type + "-" + offset.toMillis())
                .setIncidentId(incidentId)
                .setType(type)
                .setActor(actor)
                .setSource("api")
                .setAssignee(type == IncidentCommandType.ASSIGN ? assigneeOrNote : null)
                .setNote(type == IncidentCommandType.ASSIGN ? null : assigneeOrNote)
                .setIssuedAt(T0.plus(offset))
                .build();
        commands.pipeInput(incidentId, command, T0.plus(offset));
    }

    public static Alert resolved(Alert firing) {
        return Alert.newBuilder(firing).setStatus(AlertStatus.RESOLVED).build();
    }

    @Override
    public void close() {
        driver.close();
    }
}

package io.runstream.schemas;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.avro.Schema;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

import io.runstream.avro.ActionCommand;
import io.runstream.avro.ActionResult;
import io.runstream.avro.Alert;
import io.runstream.avro.DeploymentEvent;
import io.runstream.avro.DriftScore;
import io.runstream.avro.Incident;
import io.runstream.avro.IncidentCommand;
import io.runstream.avro.IncidentEvent;
import io.runstream.avro.MetricSample;
import io.runstream.avro.ServiceHealth;

/**
 * Every Runstream topic: name (with the deployment's prefix), key and value serdes, partitions and
 * configs. Built once from {@link TopicSettings} and a serde factory and passed to whoever needs topics.
 */
public final class TopicCatalog {

    private static final String COMPACT = "compact";
    private static final Duration AUDIT_RETENTION = Duration.ofDays(90);
    private static final Duration DEAD_LETTER_RETENTION = Duration.ofDays(30);

    private final Topic<String, Alert> alerts;
    private final Topic<String, MetricSample> metricSamples;
    private final Topic<String, DriftScore> driftScores;
    private final Topic<String, DeploymentEvent> deploymentEvents;
    private final Topic<String, IncidentCommand> incidentCommands;
    private final Topic<String, Incident> incidents;
    private final Topic<String, IncidentEvent> incidentEvents;
    private final Topic<String, ActionCommand> actionCommands;
    private final Topic<String, ActionResult> actionResults;
    private final Topic<byte[], byte[]> deadLetters;
    private final Topic<String, ServiceHealth> serviceImpact;
    private final TopicSettings settings;

    public TopicCatalog(TopicSettings settings, RunstreamSerdes serdes) {
        this.settings = settings;
        Serde<String> key = Serdes.String();
        alerts = new Topic<>(name("alerts"), key, serdes.serde(Alert.class), spec("alerts", Map.of()));
        metricSamples = new Topic<>(name("metric-samples"), key, serdes.serde(MetricSample.class),
                spec("metric-samples", Map.of()));
        driftScores = new Topic<>(name("drift-scores"), key, serdes.serde(DriftScore.class),
                spec("drift-scores", Map.of()));
        deploymentEvents = new Topic<>(name("deployment-events"), key, serdes.serde(DeploymentEvent.class),
                spec("deployment-events", Map.of()));
        incidentCommands = new Topic<>(name("incident-commands"), key, serdes.serde(IncidentCommand.class),
                spec("incident-commands", retention(AUDIT_RETENTION)));
        incidents = new Topic<>(name("incidents"), key, serdes.serde(Incident.class),
                spec("incidents", compactedInTenMinuteSegments()));
        incidentEvents = new Topic<>(name("incident-events"), key, serdes.serde(IncidentEvent.class),
                spec("incident-events", retention(AUDIT_RETENTION)));
        actionCommands = new Topic<>(name("action-commands"), key, serdes.serde(ActionCommand.class),
                spec("action-commands", retention(AUDIT_RETENTION)));
        actionResults = new Topic<>(name("action-results"), key, serdes.serde(ActionResult.class),
                spec("action-results", retention(AUDIT_RETENTION)));
        deadLetters = new Topic<>(name("dead-letters"), Serdes.ByteArray(), Serdes.ByteArray(),
                spec("dead-letters", retention(DEAD_LETTER_RETENTION)));
        serviceImpact = new Topic<>(name("service-impact"), key, serdes.serde(ServiceHealth.class),
                spec("service-impact", Map.of()));
    }

    public Topic<String, Alert> alerts() {
        return alerts;
    }

    public Topic<String, MetricSample> metricSamples() {
        return metricSamples;
    }

    public Topic<String, DriftScore> driftScores() {
        return driftScores;
    }

    public Topic<String, DeploymentEvent> deploymentEvents() {
        return deploymentEvents;
    }

    public Topic<String, IncidentCommand> incidentCommands() {
        return incidentCommands;
    }

    public Topic<String, Incident> incidents() {
        return incidents;
    }

    public Topic<String, IncidentEvent> incidentEvents() {
        return incidentEvents;
    }

    public Topic<String, ActionCommand> actionCommands() {
        return actionCommands;
    }

    public Topic<String, ActionResult> actionResults() {
        return actionResults;
    }

    public Topic<byte[], byte[]> deadLetters() {
        return deadLetters;
    }

    /**
     * Detection's measured impact of a service, keyed by the correlation key of the incident it belongs to: how the
     * detection stage tells the incident stages (which may run as another Kafka Streams application) that a
     * service's error rate crossed into another impact band. Internal to the stream processor.
     */
    public Topic<String, ServiceHealth> serviceImpact() {
        return serviceImpact;
    }

    public TopicSettings settings() {
        return settings;
    }

    /** Every topic, in the design's order, then the stream processor's own (service impact). */
    public List<Topic<?, ?>> all() {
        return List.of(alerts, metricSamples, driftScores, deploymentEvents, incidentCommands, incidents,
                incidentEvents, actionCommands, actionResults, deadLetters, serviceImpact);
    }

    /**
     * Each topic that carries Runstream records, with its value's current schema, in the design's order (dead
     * letters keep foreign bytes, so they are not here). What a registry format registers at start.
     */
    public Map<String, Schema> valueSchemas() {
        Map<String, Schema> schemas = new LinkedHashMap<>();
        schemas.put(alerts.name(), Alert.getClassSchema());
        schemas.put(metricSamples.name(), MetricSample.getClassSchema());
        schemas.put(driftScores.name(), DriftScore.getClassSchema());
        schemas.put(deploymentEvents.name(), DeploymentEvent.getClassSchema());
        schemas.put(incidentCommands.name(), IncidentCommand.getClassSchema());
        schemas.put(incidents.name(), Incident.getClassSchema());
        schemas.put(incidentEvents.name(), IncidentEvent.getClassSchema());
        schemas.put(actionCommands.name(), ActionCommand.getClassSchema());
        schemas.put(actionResults.name(), ActionResult.getClassSchema());
        schemas.put(serviceImpact.name(), ServiceHealth.getClassSchema());
        return schemas;
    }

    public List<TopicSpec> specs() {
        return all().stream().map(Topic::spec).toList();
    }

    private String name(String logicalName) {
        return settings.prefix() + logicalName;
    }

    private TopicSpec spec(String logicalName, Map<String, String> configs) {
        return new TopicSpec(name(logicalName), settings.partitions(), settings.replicationFactor(), configs);
    }

    /**
     * The processor's {@code incidents-store} restores from this topic itself, and the log cleaner never compacts
     * the active segment: with the broker's week-long segments every update of the week would be restored after a
     * crash, and resolved incidents' tombstones would free nothing for a week. Tombstones stay the broker's
     * default day, for consumers that read the topic a while behind.
     */
    private static Map<String, String> compactedInTenMinuteSegments() {
        return Map.of("cleanup.policy", COMPACT, "segment.ms", Long.toString(Duration.ofMinutes(10).toMillis()),
                "segment.bytes", Integer.toString(64 << 20));
    }

    private static Map<String, String> retention(Duration retention) {
        return Map.of("retention.ms", Long.toString(retention.toMillis()));
    }
}

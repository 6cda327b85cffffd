package io.runstream.processor.conformance;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.runstream.avro.ActionCommand;
import io.runstream.avro.ActionOutcome;
import io.runstream.avro.ActionResult;
import io.runstream.avro.ActionType;
import io.runstream.avro.Alert;
import io.runstream.avro.AlertSource;
import io.runstream.avro.AlertStatus;
import io.runstream.avro.DeploymentEvent;
import io.runstream.avro.DriftScore;
import io.runstream.avro.Incident;
import io.runstream.avro.IncidentCommand;
import io.runstream.avro.IncidentCommandType;
import io.runstream.avro.IncidentEvent;
import io.runstream.processor.TopologyFixture;
import io.runstream.processor.rules.RunbooksFiles;
import io.runstream.processor.runbook.Runbooks;
import io.runstream.processor.severity.SeverityPolicy;

/**
 * The whole topology with the built-in rules and runbooks (or a given runbooks file), driven the way an incident
 * unfolds: alerts and people's commands at a point of the story, the wall clock moved to it so escalation timers
 * fire, and what was sent to whom read back as {@link Sent} lines.
 */
final class RunbookPipeline implements AutoCloseable {

    static final String SERVICE = "inference-gateway";
    static final String NAMESPACE = "ml-prod";

    /** One notification or remediation as a person would read it: {@code PAGE trigger pagerduty/on-call}. */
    record Sent(ActionCommand command) {
        String event() {
            return command.getParameters().get("event");
        }

        String channel() {
            return command.getTarget().getKind() + "/" + command.getTarget().getName();
        }

        ActionType type() {
            return command.getType();
        }

        Map<String, String> parameters() {
            return command.getParameters();
        }

        @Override
        public String toString() {
            return type() + (event() == null ? "" : " " + event()) + " " + channel();
        }
    }

    private final TopologyFixture topology;
    private final List<Incident> incidents = new ArrayList<>();
    private Duration now = Duration.ZERO;
    /** How far the wall clock runs ahead of the story: each alert lets one punctuation pass. */
    private Duration wallAhead = Duration.ZERO;

    RunbookPipeline() {
        this(RunbooksFiles.load(null));
    }

    RunbookPipeline(Runbooks runbooks) {
        this.topology = new TopologyFixture(SeverityPolicy.defaults(), runbooks);
    }

    /** A runbooks file's text on top of the built-in defaults (sections left out keep theirs). */
    static RunbookPipeline withRunbooksFile(String yaml) {
        return new RunbookPipeline(RunbooksFiles.parse("runbooks.yaml", yaml));
    }

    /** Moves the story (event time of what is sent next, and the wall clock timers run on) to T0 + {@code at}. */
    RunbookPipeline at(Duration at) {
        if (at.compareTo(now) < 0) {
            throw new IllegalArgumentException("the story only moves forward: " + at + " < " + now);
        }
        Duration step = at.minus(now).minus(wallAhead);
        if (step.isNegative()) {
            wallAhead = step.negated();
        } else {
            topology.driver.advanceWallClockTime(step);
            wallAhead = Duration.ZERO;
        }
        now = at;
        return this;
    }

    RunbookPipeline atMinutes(long minutes) {
        return at(Duration.ofMinutes(minutes));
    }

    void fire(Alert alert) {
        topology.send(alert, now);
        // one punctuation (every second), so the steps due at once are sent
        topology.driver.advanceWallClockTime(Duration.ofSeconds(1));
        wallAhead = wallAhead.plusSeconds(1);
    }

    void resolve(Alert alert) {
        topology.send(Alert.newBuilder(alert).setStatus(AlertStatus.RESOLVED).setEndsAt(T0().plus(now)).build(), now);
    }

    void rolledOut(Duration ago) {
        Instant at = T0().plus(now).minus(ago);
        DeploymentEvent rollout = DeploymentEvent.newBuilder()
                .setNamespace(NAMESPACE).setDeployment(SERVICE).setRevision(7).setPreviousRevision(6L)
                .setImages(Map.of("server", "registry/gateway:2.4.0")).setChangeCause("deploy 2.4.0")
                .setRolledOutAt(at).build();
        topology.deploymentEvents.pipeInput(NAMESPACE + "/" + SERVICE, rollout, at);
    }

    /** A drift report (Evidently-style) for the service's model at this point of the story. */
    void driftReport(String model, String version, double driftShare, double accuracy, double referenceAccuracy) {
        Instant at = T0().plus(now);
        topology.driftScores.pipeInput(model, DriftScore.newBuilder().setModel(model).setModelVersion(version)
                .setService(SERVICE).setNamespace(NAMESPACE).setDatasetDrift(driftShare > 0.3)
                .setDriftShare(driftShare).setFeatureScores(Map.of("petal_length", driftShare))
                .setAccuracy(accuracy).setReferenceAccuracy(referenceAccuracy).setTimestamp(at).build(), at);
    }

    /** A person's command as the incident API publishes it: carrying the incident's correlation key. */
    void command(IncidentCommandType type, String actor) {
        String id = incident().getId();
        IncidentCommand command = IncidentCommand.newBuilder()
                .setCommandId(id + "-" + type + "-" + now.toMillis()).setIncidentId(id)
                .setCorrelationKey(incident().getCorrelationKey()).setType(type).setActor(actor)
                .setSource("api").setAssignee(type == IncidentCommandType.ASSIGN ? actor : null)
                .setIssuedAt(T0().plus(now)).build();
        topology.commands.pipeInput(id, command, T0().plus(now));
    }

    void acknowledge(String actor) {
        command(IncidentCommandType.ACKNOWLEDGE, actor);
    }

    void resolveBy(String actor) {
        command(IncidentCommandType.RESOLVE, actor);
    }

    /** A worker's answer to a command, as it would come back on action-results. */
    void result(ActionCommand command, ActionOutcome outcome) {
        result(command, outcome, outcome == ActionOutcome.SUCCEEDED ? null : "api_error");
    }

    /** A worker's answer with its reason code, e.g. REJECTED revision_not_found. */
    void result(ActionCommand command, ActionOutcome outcome, String reasonCode) {
        ActionResult result = ActionResult.newBuilder()
                .setCommandId(command.getCommandId()).setIncidentId(command.getIncidentId())
                .setCorrelationKey(command.getCorrelationKey())
                .setType(command.getType()).setTarget(command.getTarget()).setMode(command.getMode())
                .setOutcome(outcome).setReasonCode(reasonCode)
                .setMessage(outcome.name().toLowerCase(java.util.Locale.ROOT)).setBefore(Map.of()).setAfter(Map.of())
                .setAttempts(1).setWorker("worker-1").setStartedAt(T0().plus(now)).setFinishedAt(T0().plus(now))
                .build();
        topology.actionResults.pipeInput(command.getCorrelationKey(), result, T0().plus(now));
    }

    /** Everything sent since the last look, in order. */
    List<Sent> sent() {
        return topology.actionCommands.readValuesToList().stream().map(Sent::new).toList();
    }

    /** The notifications (PAGE, NOTIFY, TICKET) sent since the last look, as readable lines. */
    List<String> notices() {
        return sent().stream().filter(s -> s.type() == ActionType.PAGE || s.type() == ActionType.NOTIFY
                || s.type() == ActionType.TICKET).map(Sent::toString).toList();
    }

    List<IncidentEvent> timeline() {
        return topology.incidentEvents.readValuesToList();
    }

    /** The latest state of the incident. */
    Incident incident() {
        incidents.addAll(topology.incidents.readValuesToList());
        if (incidents.isEmpty()) {
            throw new AssertionError("no incident was opened");
        }
        return incidents.get(incidents.size() - 1);
    }

    static Instant T0() {
        return TopologyFixture.T0;
    }

    /** An alert as Alertmanager or detection sends it, with the measured value detection annotates. */
    static Alert alert(String alertname, String severity, String kind, String value) {
        Map<String, String> annotations = new LinkedHashMap<>();
        annotations.put("summary", alertname + " on " + SERVICE);
        if (kind != null) {
            annotations.put("kind", kind);
            annotations.put("value", value);
        }
        return Alert.newBuilder()
                .setFingerprint(alertname + "-" + severity)
                .setStatus(AlertStatus.FIRING)
                .setLabels(Map.of("alertname", alertname, "severity", severity, "service", SERVICE,
                        "namespace", NAMESPACE))
                .setAnnotations(annotations)
                .setStartsAt(TopologyFixture.T0)
                .setSource(AlertSource.ALERTMANAGER)
                .setReceivedAt(TopologyFixture.T0)
                .build();
    }

    /** The alert with one more label. */
    static Alert labelled(Alert alert, String name, String value) {
        Map<String, String> labels = new LinkedHashMap<>(alert.getLabels());
        labels.put(name, value);
        return Alert.newBuilder(alert).setLabels(labels).build();
    }

    static Alert errorRate(String severity, double ratio) {
        return alert("HighErrorRate", severity, "error_ratio", Double.toString(ratio));
    }

    static Alert named(String alertname, String severity) {
        return alert(alertname, severity, null, null);
    }

    @Override
    public void close() {
        topology.close();
    }
}

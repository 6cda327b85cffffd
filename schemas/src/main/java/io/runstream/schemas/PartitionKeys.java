package io.runstream.schemas;

import io.runstream.avro.ActionCommand;
import io.runstream.avro.ActionResult;
import io.runstream.avro.ActionTarget;
import io.runstream.avro.Alert;
import io.runstream.avro.DeploymentEvent;
import io.runstream.avro.DriftScore;
import io.runstream.avro.IncidentCommand;
import io.runstream.avro.MetricSample;

/**
 * How each topic is keyed, from the record it carries: the one place that says it, so every producer (connector,
 * processor, workers, launcher) puts a record on the partition its readers expect. A key decides ordering and
 * which stream task (or worker) sees a record; changing one here is changing a topic's contract.
 */
public final class PartitionKeys {

    private PartitionKeys() {
    }

    /** {@code alerts}: the alert's fingerprint, so one alert's firing and resolved states stay in order. */
    public static String alert(Alert alert) {
        return alert.getFingerprint();
    }

    /** {@code metric-samples}: the service, so one service's samples reach one detection task in order. */
    public static String metricSample(MetricSample sample) {
        return sample.getService();
    }

    /** {@code drift-scores}: the model. */
    public static String driftScore(DriftScore score) {
        return score.getModel();
    }

    /** {@code deployment-events}: namespace/deployment, so one Deployment's rollouts stay in order. */
    public static String deploymentEvent(DeploymentEvent event) {
        return event.getNamespace() + "/" + event.getDeployment();
    }

    /** {@code incident-commands}: the incident id. */
    public static String incidentCommand(IncidentCommand command) {
        return command.getIncidentId();
    }

    /** {@code action-commands}: the target (kind/namespace/name), so the actions on one resource stay in order. */
    public static String actionCommand(ActionCommand command) {
        return actionTarget(command.getTarget());
    }

    /** kind/namespace/name (namespace empty for a cluster-wide target): a target's identity, the commands' key. */
    public static String actionTarget(ActionTarget target) {
        return target.getKind() + "/" + (target.getNamespace() == null ? "" : target.getNamespace()) + "/"
                + target.getName();
    }

    /**
     * {@code action-results}: the incident's correlation key the result carries, so the stream processor reads it
     * on the partition of the task that owns the incident, with no repartition. A result of a command of a release
     * that did not carry the key is keyed by its command id (the processor dead-letters it: it cannot route it).
     */
    public static String actionResult(ActionResult result) {
        String correlationKey = result.getCorrelationKey();
        return correlationKey != null && !correlationKey.isEmpty() ? correlationKey : result.getCommandId();
    }
}

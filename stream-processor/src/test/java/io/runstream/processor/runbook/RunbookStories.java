package io.runstream.processor.runbook;

import static io.runstream.processor.TopologyFixture.T0;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.runstream.avro.ActionCommand;
import io.runstream.avro.ActionOutcome;
import io.runstream.avro.ActionResult;
import io.runstream.avro.ActionType;
import io.runstream.avro.DeploymentEvent;
import io.runstream.avro.Incident;
import io.runstream.avro.IncidentEvent;
import io.runstream.processor.TopologyFixture;

/** What the runbook tests do to the topology: rollouts, workers' results, and reading back what it decided. */
final class RunbookStories {

    private final TopologyFixture pipeline;
    private Incident last;

    RunbookStories(TopologyFixture pipeline) {
        this.pipeline = pipeline;
    }

    void rolledOut(String deployment, Duration offset) {
        DeploymentEvent rollout = DeploymentEvent.newBuilder()
                .setNamespace("ml-prod").setDeployment(deployment).setRevision(7).setPreviousRevision(6L)
                .setImages(Map.of("server", "registry/gateway:2.4.0")).setChangeCause("deploy 2.4.0")
                .setRolledOutAt(T0.plus(offset)).build();
        pipeline.deploymentEvents.pipeInput("ml-prod/" + deployment, rollout, T0.plus(offset));
    }

    void result(ActionCommand command, ActionOutcome outcome, Duration offset) {
        ActionResult result = ActionResult.newBuilder()
                .setCommandId(command.getCommandId()).setIncidentId(command.getIncidentId())
                .setCorrelationKey(command.getCorrelationKey())
                .setType(command.getType()).setTarget(command.getTarget()).setMode(command.getMode())
                .setOutcome(outcome).setReasonCode(outcome == ActionOutcome.FAILED ? "api_error" : null)
                .setMessage(outcome.name().toLowerCase()).setBefore(Map.of()).setAfter(Map.of()).setAttempts(1)
                .setWorker("worker-1").setStartedAt(T0.plus(offset)).setFinishedAt(T0.plus(offset)).build();
        pipeline.actionResults.pipeInput(command.getCorrelationKey(), result, T0.plus(offset));
    }

    /** Everything sent since the last look. */
    List<ActionCommand> sent() {
        return pipeline.actionCommands.readValuesToList();
    }

    /** Remediation commands among them (notifications aside). */
    static List<ActionCommand> remediations(List<ActionCommand> sent) {
        return sent.stream().filter(c -> c.getType() != ActionType.PAGE && c.getType() != ActionType.NOTIFY
                && c.getType() != ActionType.TICKET).toList();
    }

    List<ActionCommand> remediations() {
        return remediations(sent());
    }

    List<IncidentEvent> timeline() {
        return pipeline.incidentEvents.readValuesToList();
    }

    /** The incident's latest state. */
    Incident lastIncident() {
        List<Incident> states = pipeline.incidents.readValuesToList();
        if (!states.isEmpty()) {
            last = states.get(states.size() - 1);
        }
        assertThat(last).as("an incident").isNotNull();
        return last;
    }
}

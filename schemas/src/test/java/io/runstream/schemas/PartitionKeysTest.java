package io.runstream.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.runstream.avro.ActionMode;
import io.runstream.avro.ActionOutcome;
import io.runstream.avro.ActionResult;
import io.runstream.avro.ActionTarget;
import io.runstream.avro.ActionType;
import io.runstream.avro.DeploymentEvent;

/** The topics' keys are contracts between services: pinned here so a change to one is a visible decision. */
class PartitionKeysTest {

    private static final ActionTarget GATEWAY = ActionTarget.newBuilder().setKind("Deployment")
            .setNamespace("ml-prod").setName("inference-gateway").build();

    @Test
    void actionCommandsAreKeyedByKindNamespaceAndName() {
        assertThat(PartitionKeys.actionTarget(GATEWAY)).isEqualTo("Deployment/ml-prod/inference-gateway");
    }

    @Test
    void aClusterWideTargetHasAnEmptyNamespaceInItsKey() {
        ActionTarget node = ActionTarget.newBuilder(GATEWAY).setKind("Node").setNamespace(null).setName("gpu-1")
                .build();

        assertThat(PartitionKeys.actionTarget(node)).isEqualTo("Node//gpu-1");
    }

    @Test
    void actionResultsAreKeyedByTheCorrelationKeyTheyCarry() {
        assertThat(PartitionKeys.actionResult(result("namespace=ml-prod|service=inference-gateway")))
                .isEqualTo("namespace=ml-prod|service=inference-gateway");
    }

    @Test
    void anActionResultWithoutCorrelationKeyIsKeyedByItsCommandId() {
        assertThat(PartitionKeys.actionResult(result(null))).isEqualTo("cmd-1");
        assertThat(PartitionKeys.actionResult(result(""))).isEqualTo("cmd-1");
    }

    @Test
    void deploymentEventsAreKeyedByNamespaceAndDeployment() {
        DeploymentEvent rollout = DeploymentEvent.newBuilder().setNamespace("ml-prod")
                .setDeployment("inference-gateway").setRevision(3).setImages(Map.of("gateway", "gateway:1.4.2"))
                .setRolledOutAt(Instant.parse("2026-12-06T10:00:00Z")).build();

        assertThat(PartitionKeys.deploymentEvent(rollout)).isEqualTo("ml-prod/inference-gateway");
    }

    private static ActionResult result(String correlationKey) {
        return ActionResult.newBuilder().setCommandId("cmd-1").setIncidentId("inc-1").setCorrelationKey(correlationKey)
                .setType(ActionType.ROLLOUT_UNDO).setTarget(GATEWAY).setMode(ActionMode.ENFORCE)
                .setOutcome(ActionOutcome.SUCCEEDED).setMessage("rolled back").setBefore(Map.of()).setAfter(Map.of())
                .setAttempts(1).setWorker("w-1").setStartedAt(Instant.EPOCH).setFinishedAt(Instant.EPOCH).build();
    }
}

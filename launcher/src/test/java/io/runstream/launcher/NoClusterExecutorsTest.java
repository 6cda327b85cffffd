package io.runstream.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.runstream.avro.ActionCommand;
import io.runstream.avro.ActionMode;
import io.runstream.avro.ActionOutcome;
import io.runstream.avro.ActionTarget;
import io.runstream.avro.ActionType;
import io.runstream.workers.ActionExecutor;
import io.runstream.workers.Execution;
import io.runstream.workers.RejectedCommandException;

class NoClusterExecutorsTest {

    @Test
    void answersEveryClusterAndSilenceActionWithADryRunThatSaysNothingWasTouched() {
        List<ActionExecutor> executors = NoClusterExecutors.forStack(false, false);

        assertThat(executors).extracting(ActionExecutor::type).containsExactlyInAnyOrder(ActionType.SCALE,
                ActionType.ROLLOUT_RESTART, ActionType.ROLLOUT_UNDO, ActionType.SET_ENV, ActionType.SET_RESOURCES,
                ActionType.PATCH_CONFIGMAP, ActionType.DELETE_POD, ActionType.SILENCE, ActionType.EXPIRE_SILENCE);
        Execution scale = executor(executors, ActionType.SCALE).execute(command(ActionType.SCALE,
                Map.of("delta", "+2")), true);
        assertThat(scale.outcome()).isEqualTo(ActionOutcome.DRY_RUN);
        assertThat(scale.message()).startsWith("dry-run, no cluster: would SCALE Deployment ml-prod/ml-model-api");
        assertThat(scale.before()).isEmpty();
        assertThat(scale.after()).containsEntry("delta", "+2");
    }

    @Test
    void refusesToEnforceWithoutACluster() {
        ActionExecutor undo = executor(NoClusterExecutors.forStack(false, true), ActionType.ROLLOUT_UNDO);

        assertThatThrownBy(() -> undo.execute(command(ActionType.ROLLOUT_UNDO, Map.of()), false))
                .isInstanceOf(RejectedCommandException.class).hasMessageContaining("--kubeconfig");
    }

    @Test
    void leavesConfiguredSystemsToTheirOwnExecutors() {
        assertThat(NoClusterExecutors.forStack(true, true)).isEmpty();
        assertThat(NoClusterExecutors.forStack(true, false)).extracting(ActionExecutor::type)
                .containsExactlyInAnyOrder(ActionType.SILENCE, ActionType.EXPIRE_SILENCE);
    }

    private static ActionExecutor executor(List<ActionExecutor> executors, ActionType type) {
        return executors.stream().filter(e -> e.type() == type).findFirst().orElseThrow();
    }

    private static ActionCommand command(ActionType type, Map<String, String> parameters) {
        return ActionCommand.newBuilder().setCommandId("INC-1/scale-on-saturation/scale-up").setIncidentId("INC-1")
                .setType(type).setTarget(ActionTarget.newBuilder().setKind("Deployment").setNamespace("ml-prod")
                        .setName("ml-model-api").build())
                .setParameters(parameters).setMode(ActionMode.ENFORCE).setRunbook("scale-on-saturation#scale-up")
                .setReason("test").setIssuedAt(Instant.now()).setExpiresAt(Instant.now().plusSeconds(600)).build();
    }
}

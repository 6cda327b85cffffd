package io.runstream.launcher;

import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.runstream.avro.ActionCommand;
import io.runstream.avro.ActionTarget;
import io.runstream.avro.ActionType;
import io.runstream.workers.ActionExecutor;
import io.runstream.workers.Execution;
import io.runstream.workers.RejectedCommandException;

/**
 * What the local stack's workers do with cluster and Alertmanager actions when neither is configured: answer
 * {@code DRY_RUN} with what would have been done, so a scenario's runbook shows its remediation and result
 * instead of an {@code unknown_action} rejection. Nothing is read or changed, so before is empty and after holds
 * the command's parameters. Outside dry run they refuse with {@code no_cluster}: there is nothing to enforce on.
 */
final class NoClusterExecutors {

    static final Set<ActionType> CLUSTER_ACTIONS = EnumSet.of(ActionType.SCALE, ActionType.ROLLOUT_RESTART,
            ActionType.ROLLOUT_UNDO, ActionType.SET_ENV, ActionType.SET_RESOURCES, ActionType.PATCH_CONFIGMAP,
            ActionType.DELETE_POD);
    static final Set<ActionType> ALERTMANAGER_ACTIONS = EnumSet.of(ActionType.SILENCE, ActionType.EXPIRE_SILENCE);

    private NoClusterExecutors() {
    }

    /** One executor per cluster action, and per Alertmanager action when no Alertmanager is configured. */
    static List<ActionExecutor> forStack(boolean hasCluster, boolean hasAlertmanager) {
        Set<ActionType> types = EnumSet.noneOf(ActionType.class);
        if (!hasCluster) {
            types.addAll(CLUSTER_ACTIONS);
        }
        if (!hasAlertmanager) {
            types.addAll(ALERTMANAGER_ACTIONS);
        }
        return types.stream().<ActionExecutor>map(DryRunOnly::new).toList();
    }

    private record DryRunOnly(ActionType type) implements ActionExecutor {

        @Override
        public boolean rateLimited() {
            return CLUSTER_ACTIONS.contains(type);
        }

        @Override
        public Execution execute(ActionCommand command, boolean dryRun) {
            String system = CLUSTER_ACTIONS.contains(type) ? "cluster" : "Alertmanager";
            if (!dryRun) {
                throw new RejectedCommandException("no_cluster", "no " + system + " is configured "
                        + "(runstream run --kubeconfig PATH); nothing was changed");
            }
            Map<String, String> after = new LinkedHashMap<>(command.getParameters());
            if (type == ActionType.ROLLOUT_UNDO && !after.containsKey("toRevision")) {
                after.put("revision", "previous");
            }
            return Execution.dryRun("dry-run, no " + system + ": would " + type + " " + describe(command.getTarget())
                    + (command.getParameters().isEmpty() ? "" : " " + command.getParameters())
                    + "; nothing was read or changed", Map.of(), after);
        }

        private static String describe(ActionTarget target) {
            return target.getKind() + " " + (target.getNamespace() == null ? "" : target.getNamespace() + "/")
                    + target.getName();
        }
    }
}

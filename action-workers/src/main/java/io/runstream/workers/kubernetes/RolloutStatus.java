package io.runstream.workers.kubernetes;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatus;

/**
 * Where a workload's rollout stands, decided as {@code kubectl rollout status} decides it. A Deployment is
 * complete when the controller has observed its latest spec (status.observedGeneration >= metadata.generation)
 * and updated, available and total replicas all equal spec.replicas (no old pods left); it is stalled when, for
 * that observed spec, the Progressing condition says ProgressDeadlineExceeded. A condition left over from an
 * earlier spec does not count: the rollout being verified may be the very fix for that stall.
 *
 * @param complete the rollout finished
 * @param stalled the controller gave up on it (Deployments' progress deadline)
 * @param seen what was observed, for a result's message
 */
public record RolloutStatus(boolean complete, boolean stalled, String seen) {

    static final String DEADLINE_EXCEEDED = "ProgressDeadlineExceeded";

    static RolloutStatus of(HasMetadata workload) {
        return workload instanceof Deployment d ? of(d) : of((StatefulSet) workload);
    }

    static RolloutStatus of(Deployment deployment) {
        DeploymentStatus status = deployment.getStatus() == null ? new DeploymentStatus() : deployment.getStatus();
        int desired = deployment.getSpec().getReplicas() == null ? 1 : deployment.getSpec().getReplicas();
        long generation = n(deployment.getMetadata().getGeneration());
        long observed = n(status.getObservedGeneration());
        int updated = n(status.getUpdatedReplicas());
        int available = n(status.getAvailableReplicas());
        int total = n(status.getReplicas());
        String seen = "desired " + desired + ", updated " + updated + ", available " + available + ", total "
                + total + ", observed generation " + observed + " of " + generation;
        boolean observedSpec = status.getObservedGeneration() != null && observed >= generation;
        DeploymentCondition progressing = status.getConditions() == null ? null
                : status.getConditions().stream().filter(c -> "Progressing".equals(c.getType())).findFirst()
                        .orElse(null);
        if (progressing != null && progressing.getMessage() != null) {
            seen += "; Progressing " + progressing.getReason() + ": " + progressing.getMessage();
        }
        boolean stalled = observedSpec && progressing != null && DEADLINE_EXCEEDED.equals(progressing.getReason());
        boolean complete = observedSpec && !stalled && updated == desired && available == desired
                && total == updated;
        return new RolloutStatus(complete, stalled, seen);
    }

    /** kubectl's StatefulSet rule: spec observed, all ready, and every pod on the update revision. */
    static RolloutStatus of(StatefulSet set) {
        StatefulSetStatus status = set.getStatus() == null ? new StatefulSetStatus() : set.getStatus();
        int desired = set.getSpec().getReplicas() == null ? 1 : set.getSpec().getReplicas();
        long generation = n(set.getMetadata().getGeneration());
        long observed = n(status.getObservedGeneration());
        int ready = n(status.getReadyReplicas());
        int updated = n(status.getUpdatedReplicas());
        var strategy = set.getSpec().getUpdateStrategy();
        Integer partition = strategy == null || strategy.getRollingUpdate() == null ? null
                : strategy.getRollingUpdate().getPartition();
        boolean onDelete = strategy != null && "OnDelete".equals(strategy.getType());
        String seen = "desired " + desired + ", ready " + ready + ", updated " + updated + ", revision "
                + status.getCurrentRevision() + " -> " + status.getUpdateRevision() + ", observed generation "
                + observed + " of " + generation;
        boolean observedSpec = status.getObservedGeneration() != null && observed >= generation;
        boolean onRevision = onDelete ? true
                : partition != null ? updated >= desired - partition
                        : status.getUpdateRevision() == null
                                || status.getUpdateRevision().equals(status.getCurrentRevision());
        return new RolloutStatus(observedSpec && ready >= desired && onRevision, false, seen);
    }

    private static long n(Long value) {
        return value == null ? 0 : value;
    }

    private static int n(Integer value) {
        return value == null ? 0 : value;
    }
}

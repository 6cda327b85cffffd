package io.runstream.workers.kubernetes;

import java.util.List;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * Plays the deployment controller on the CRUD mock, which has none: writes a Deployment's status the way the
 * controller does while it rolls out the latest spec (observed generation, updated/available/total replicas,
 * the Progressing condition).
 */
public final class DeploymentController {

    private final KubernetesClient client;
    private final String namespace;
    private final String name;

    public DeploymentController(KubernetesClient client, String namespace, String name) {
        this.client = client;
        this.namespace = namespace;
        this.name = name;
    }

    /** Mid-rollout of the current spec: {@code updated} new pods, {@code available} of them ready, old pods left. */
    public void progressing(int updated, int available, int total) {
        write(updated, available, total, condition("ReplicaSetUpdated", "ReplicaSet \"" + name
                + "\" is progressing."), true);
    }

    /** The rollout of the current spec finished: every replica updated and available, no old pods. */
    public void complete() {
        int desired = desired();
        write(desired, desired, desired, condition("NewReplicaSetAvailable", "ReplicaSet \"" + name
                + "\" has successfully progressed."), true);
    }

    /** The controller gave up on the current spec after progressDeadlineSeconds. */
    public void stalled(int updated, int available, int total) {
        write(updated, available, total, new DeploymentConditionBuilder().withType("Progressing")
                .withStatus("False").withReason("ProgressDeadlineExceeded")
                .withMessage("ReplicaSet \"" + name + "-6d4cf56db6\" has timed out progressing.").build(), true);
    }

    /** A stall reported for the spec before the latest one (the controller has not seen the newest spec yet). */
    public void stalledOnThePreviousSpec() {
        write(1, 0, 4, new DeploymentConditionBuilder().withType("Progressing").withStatus("False")
                .withReason("ProgressDeadlineExceeded")
                .withMessage("ReplicaSet \"" + name + "-6d4cf56db6\" has timed out progressing.").build(), false);
    }

    private int desired() {
        Integer replicas = current().getSpec().getReplicas();
        return replicas == null ? 1 : replicas;
    }

    private Deployment current() {
        return client.apps().deployments().inNamespace(namespace).withName(name).get();
    }

    private static DeploymentCondition condition(String reason, String message) {
        return new DeploymentConditionBuilder().withType("Progressing").withStatus("True").withReason(reason)
                .withMessage(message).build();
    }

    private void write(int updated, int available, int total, DeploymentCondition progressing, boolean observed) {
        client.apps().deployments().inNamespace(namespace).withName(name).editStatus(d -> {
            long generation = d.getMetadata().getGeneration() == null ? 1 : d.getMetadata().getGeneration();
            return new DeploymentBuilder(d).withNewStatus()
                    .withObservedGeneration(observed ? generation : generation - 1)
                    .withReplicas(total).withUpdatedReplicas(updated).withAvailableReplicas(available)
                    .withReadyReplicas(available).withConditions(List.of(progressing)).endStatus().build();
        });
    }
}

package io.runstream.launcher.e2e;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.runstream.workers.kubernetes.DeploymentController;

/**
 * The deployment controller the CRUD mock lacks, for every Deployment of one namespace: each spec it has not
 * observed yet (a new {@code metadata.generation}) is rolled out at once, either to completion or into
 * ProgressDeadlineExceeded, with action-workers' {@link DeploymentController} writing the status. So the workers'
 * rollout verification sees what {@code kubectl rollout status} would on a cluster.
 */
final class ControllerOnTheMock implements AutoCloseable {

    /** What the controller makes of a Deployment's next rollouts. */
    enum Rollouts {
        /** Every replica updated and available. */
        COMPLETE,
        /** The new pods never become available: Progressing False, ProgressDeadlineExceeded. */
        STALL
    }

    private final KubernetesClient client;
    private final String namespace;
    private final Map<String, Rollouts> behaviour = new ConcurrentHashMap<>();
    private final Watch watch;

    ControllerOnTheMock(KubernetesClient client, String namespace) {
        this.client = client;
        this.namespace = namespace;
        this.watch = client.apps().deployments().inNamespace(namespace).watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, Deployment deployment) {
                if (action == Action.ADDED || action == Action.MODIFIED) {
                    reconcile(deployment);
                }
            }

            @Override
            public void onClose(WatcherException cause) {
                // closed with the cluster
            }
        });
    }

    /** From now on, rollouts of {@code deployment} end as {@code rollouts} says (all complete by default). */
    void rollouts(String deployment, Rollouts rollouts) {
        behaviour.put(deployment, rollouts);
    }

    private void reconcile(Deployment deployment) {
        String name = deployment.getMetadata().getName();
        long generation = deployment.getMetadata().getGeneration() == null ? 1
                : deployment.getMetadata().getGeneration();
        Long observed = deployment.getStatus() == null ? null : deployment.getStatus().getObservedGeneration();
        if (observed != null && observed >= generation) {
            return; // this spec is rolled out already (our own status write comes back here too)
        }
        DeploymentController controller = new DeploymentController(client, namespace, name);
        int desired = deployment.getSpec().getReplicas() == null ? 1 : deployment.getSpec().getReplicas();
        switch (behaviour.getOrDefault(name, Rollouts.COMPLETE)) {
            case COMPLETE -> controller.complete();
            // one new pod that never gets ready beside the old ones: the rollout cannot go on
            case STALL -> controller.stalled(1, 0, desired + 1);
        }
    }

    @Override
    public void close() {
        watch.close();
    }
}

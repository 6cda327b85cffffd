package io.runstream.workers.kubernetes;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.runstream.avro.ActionTarget;
import io.runstream.workers.RejectedCommandException;

/** Reading and updating the two workload kinds the executors change, Deployment and StatefulSet. */
final class Workloads {

    private Workloads() {
    }

    static void requireScalable(ActionTarget target) {
        if (!"Deployment".equals(target.getKind()) && !"StatefulSet".equals(target.getKind())) {
            throw new RejectedCommandException("unsupported_kind", "expected a Deployment or StatefulSet target, was "
                    + target.getKind());
        }
        if (target.getNamespace() == null || target.getNamespace().isBlank()) {
            throw new RejectedCommandException("malformed_parameters", "a workload target needs a namespace");
        }
    }

    /** The current object; a 404 when it does not exist. */
    static HasMetadata read(KubernetesClient client, ActionTarget target) {
        HasMetadata found = "Deployment".equals(target.getKind())
                ? client.apps().deployments().inNamespace(target.getNamespace()).withName(target.getName()).get()
                : client.apps().statefulSets().inNamespace(target.getNamespace()).withName(target.getName()).get();
        if (found == null) {
            throw new KubernetesClientException("not found", 404, null);
        }
        return found;
    }

    static int replicas(HasMetadata workload) {
        Integer replicas = workload instanceof Deployment d ? d.getSpec().getReplicas()
                : ((StatefulSet) workload).getSpec().getReplicas();
        return replicas == null ? 1 : replicas;
    }

    static String marker(HasMetadata workload) {
        var annotations = workload.getMetadata().getAnnotations();
        return annotations == null ? null : annotations.get(KubernetesCalls.MARKER);
    }

    /**
     * Replaces the object with optimistic locking on the resourceVersion it was read at (a concurrent change
     * gives 409, retried with a fresh read); with {@code dryRun} the API server validates and changes nothing.
     */
    static void update(KubernetesClient client, HasMetadata changed, boolean dryRun) {
        var resource = client.resource(changed);
        if (dryRun) {
            resource.dryRun().update();
        } else {
            resource.update();
        }
    }
}

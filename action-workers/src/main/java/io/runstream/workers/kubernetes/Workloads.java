package io.runstream.workers.kubernetes;

import java.util.HashMap;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.runstream.avro.ActionTarget;
import io.runstream.workers.RejectedCommandException;

/** Reading and updating the two workload kinds the executors change, Deployment and StatefulSet. */
final class Workloads {

    private Workloads() {
    }

    static void requireWorkload(ActionTarget target) {
        if (!"Deployment".equals(target.getKind()) && !"StatefulSet".equals(target.getKind())) {
            throw new RejectedCommandException("unsupported_kind", "expected a Deployment or StatefulSet target, was "
                    + target.getKind());
        }
        requireNamespace(target);
    }

    static void requireNamespace(ActionTarget target) {
        if (target.getNamespace() == null || target.getNamespace().isBlank()) {
            throw new RejectedCommandException("malformed_parameters", target.getKind() + " target "
                    + target.getName() + " needs a namespace");
        }
    }

    /** The RBAC resource name of the target's kind, as a permission error should name it. */
    static String resource(ActionTarget target) {
        return switch (target.getKind()) {
            case "Deployment" -> "deployments.apps";
            case "StatefulSet" -> "statefulsets.apps";
            case "ConfigMap" -> "configmaps";
            case "Pod" -> "pods";
            default -> target.getKind();
        };
    }

    /** The current object, with a non-null annotation map; 404 when it does not exist. */
    static HasMetadata read(KubernetesCalls calls, ActionTarget target) {
        String ns = target.getNamespace();
        HasMetadata found = calls.call("get", resource(target), ns, () -> "Deployment".equals(target.getKind())
                ? calls.client().apps().deployments().inNamespace(ns).withName(target.getName()).get()
                : calls.client().apps().statefulSets().inNamespace(ns).withName(target.getName()).get());
        if (found == null) {
            throw KubernetesCalls.ApiFailure.notFound(resource(target), ns, target.getName());
        }
        if (found.getMetadata().getAnnotations() == null) {
            found.getMetadata().setAnnotations(new HashMap<>());
        }
        return found;
    }

    static int replicas(HasMetadata workload) {
        Integer replicas = workload instanceof Deployment d ? d.getSpec().getReplicas()
                : ((StatefulSet) workload).getSpec().getReplicas();
        return replicas == null ? 1 : replicas;
    }

    static String marker(HasMetadata object) {
        var annotations = object.getMetadata().getAnnotations();
        return annotations == null ? null : annotations.get(KubernetesCalls.MARKER);
    }

    /**
     * Replaces the object with optimistic locking on the resourceVersion it was read at (a concurrent change
     * gives 409, retried with a fresh read); with {@code dryRun} the API server validates and changes nothing.
     */
    static void update(KubernetesCalls calls, HasMetadata changed, String resource, boolean dryRun) {
        calls.call("update", resource, changed.getMetadata().getNamespace(), () -> {
            var handle = calls.client().resource(changed);
            return dryRun ? handle.dryRun().update() : handle.update();
        });
    }
}

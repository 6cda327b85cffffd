package io.runstream.workers.kubernetes;

import java.util.List;

import io.runstream.workers.ActionExecutor;
import io.runstream.workers.SafetyPolicy;

/** Every Kubernetes executor, sharing one client and one set of retry rules. */
public final class KubernetesExecutors {

    private KubernetesExecutors() {
    }

    public static List<ActionExecutor> all(KubernetesCalls calls, SafetyPolicy safety) {
        return List.of(new ScaleExecutor(calls, safety), new RolloutRestartExecutor(calls),
                new RolloutUndoExecutor(calls), new SetEnvExecutor(calls), new SetResourcesExecutor(calls),
                new PatchConfigMapExecutor(calls), new DeletePodExecutor(calls));
    }
}

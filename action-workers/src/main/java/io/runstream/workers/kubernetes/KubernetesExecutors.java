package io.runstream.workers.kubernetes;

import java.util.List;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.runstream.workers.ActionExecutor;
import io.runstream.workers.SafetyPolicy;

/** Every Kubernetes executor, sharing one client. */
public final class KubernetesExecutors {

    private KubernetesExecutors() {
    }

    public static List<ActionExecutor> all(KubernetesClient client, SafetyPolicy safety) {
        return List.of(new ScaleExecutor(client, safety));
    }
}

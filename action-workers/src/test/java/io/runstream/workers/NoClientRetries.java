package io.runstream.workers;

import java.util.function.Consumer;

import io.fabric8.kubernetes.client.KubernetesClientBuilder;

/**
 * Turns off the fabric8 client's own retries in the mock client, as ActionWorkers does in production, so a
 * test sees exactly the retries of KubernetesCalls.
 */
public final class NoClientRetries implements Consumer<KubernetesClientBuilder> {

    @Override
    public void accept(KubernetesClientBuilder builder) {
        builder.editOrNewConfig().withRequestRetryBackoffLimit(0).endConfig();
    }
}

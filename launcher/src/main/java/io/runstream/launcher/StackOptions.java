package io.runstream.launcher;

import java.nio.file.Path;

/**
 * How to run the stack: against an existing cluster ({@code bootstrapServers}) or the embedded broker (its data
 * directory and port), whether HTTP servers take fixed or free ports, the Kubernetes cluster the workers act on
 * ({@code kubeconfig}, null: none, every cluster action answers dry-run) and whether they enforce there, the
 * incident API's write token (null: as the environment says) and a runbooks file (null: as the environment says).
 */
record StackOptions(String bootstrapServers, Path kafkaDataDir, int kafkaPort, boolean ephemeralPorts,
        Path kubeconfig, boolean enforce, String writeToken, Path runbooksFile) {

    StackOptions {
        if (enforce && kubeconfig == null) {
            throw new IllegalArgumentException("--enforce needs --kubeconfig: without a cluster there is nothing to "
                    + "enforce on");
        }
    }

    StackOptions(String bootstrapServers, Path kafkaDataDir, int kafkaPort, boolean ephemeralPorts) {
        this(bootstrapServers, kafkaDataDir, kafkaPort, ephemeralPorts, null, false, null, null);
    }

    boolean embeddedBroker() {
        return bootstrapServers == null || bootstrapServers.isBlank();
    }
}

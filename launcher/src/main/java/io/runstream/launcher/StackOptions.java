package io.runstream.launcher;

import java.nio.file.Path;

/**
 * How to run the stack: against an existing cluster ({@code bootstrapServers}) or the embedded broker
 * (its data directory and port), and whether HTTP servers take fixed or free ports.
 */
record StackOptions(String bootstrapServers, Path kafkaDataDir, int kafkaPort, boolean ephemeralPorts) {

    boolean embeddedBroker() {
        return bootstrapServers == null || bootstrapServers.isBlank();
    }
}

package io.runstream.processor;

import java.time.Duration;
import java.util.Set;

/** Kafka Streams settings of the stream processor. */
public record StreamsSettings(String applicationId, String stateDir, String processingGuarantee,
        Duration commitInterval, int numStandbyReplicas, String advertisedHost) {

    private static final Set<String> GUARANTEES = Set.of("exactly_once_v2", "at_least_once");

    public StreamsSettings {
        if (applicationId == null || !applicationId.matches("[a-zA-Z0-9._-]+")) {
            throw new IllegalArgumentException("streams.applicationId must be non-empty [a-zA-Z0-9._-], was '"
                    + applicationId + "'");
        }
        if (!GUARANTEES.contains(processingGuarantee)) {
            throw new IllegalArgumentException("streams.processingGuarantee must be one of " + GUARANTEES + ", was '"
                    + processingGuarantee + "'");
        }
        if (commitInterval == null || commitInterval.isNegative() || commitInterval.isZero()) {
            throw new IllegalArgumentException("streams.commitInterval must be positive, was " + commitInterval);
        }
        if (numStandbyReplicas < 0) {
            throw new IllegalArgumentException("streams.numStandbyReplicas must be >= 0, was " + numStandbyReplicas);
        }
        stateDir = stateDir == null ? "" : stateDir;
        advertisedHost = advertisedHost == null ? "" : advertisedHost.trim();
    }
}

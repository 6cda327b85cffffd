package io.runstream.processor;

import java.time.Duration;
import java.util.Set;

import io.runstream.processor.memory.RocksDbSettings;

/**
 * Kafka Streams settings of the stream processor: the application, its RocksDB memory budget and what an
 * uncaught exception in a stream thread does ({@link UncaughtExceptionPolicy}).
 */
public record StreamsSettings(String applicationId, String stateDir, String processingGuarantee,
        Duration commitInterval, int numStandbyReplicas, String advertisedHost, RocksDbSettings rocksdb,
        String onUncaughtException, int maxThreadReplacements, Duration threadReplacementWindow) {

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
        rocksdb = rocksdb == null ? RocksDbSettings.DEFAULT : rocksdb;
        onUncaughtException = onUncaughtException == null ? UncaughtExceptionPolicy.REPLACE_THREAD
                : onUncaughtException;
        if (!UncaughtExceptionPolicy.POLICIES.contains(onUncaughtException)) {
            throw new IllegalArgumentException("streams.onUncaughtException must be one of "
                    + UncaughtExceptionPolicy.POLICIES + ", was '" + onUncaughtException + "'");
        }
        if (maxThreadReplacements < 0) {
            throw new IllegalArgumentException("streams.maxThreadReplacements must be >= 0, was "
                    + maxThreadReplacements);
        }
        threadReplacementWindow = threadReplacementWindow == null ? Duration.ofMinutes(10) : threadReplacementWindow;
        if (threadReplacementWindow.isNegative() || threadReplacementWindow.isZero()) {
            throw new IllegalArgumentException("streams.threadReplacementWindow must be positive, was "
                    + threadReplacementWindow);
        }
        stateDir = stateDir == null ? "" : stateDir;
        advertisedHost = advertisedHost == null ? "" : advertisedHost.trim();
    }

    /** The defaults for everything but the application: 64 MiB of RocksDB, replace a thread up to 3 times in 10m. */
    public StreamsSettings(String applicationId, String stateDir, String processingGuarantee, Duration commitInterval,
            int numStandbyReplicas, String advertisedHost) {
        this(applicationId, stateDir, processingGuarantee, commitInterval, numStandbyReplicas, advertisedHost,
                RocksDbSettings.DEFAULT, UncaughtExceptionPolicy.REPLACE_THREAD, 3, Duration.ofMinutes(10));
    }
}

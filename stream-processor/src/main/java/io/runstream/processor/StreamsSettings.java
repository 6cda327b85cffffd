package io.runstream.processor;

import java.time.Duration;
import java.util.Set;

import io.runstream.processor.memory.RocksDbSettings;

/**
 * Kafka Streams settings of the stream processor: the application (or, split, the two applications: detection
 * and the incident stages), its RocksDB memory budget and what an uncaught exception in a stream thread does
 * ({@link UncaughtExceptionPolicy}). {@code commitInterval} is the single application's; split, each application
 * commits at its own ({@code detection}, {@code incidents}).
 */
public record StreamsSettings(String applicationId, String stateDir, String processingGuarantee,
        Duration commitInterval, int numStandbyReplicas, String advertisedHost, RocksDbSettings rocksdb,
        String onUncaughtException, int maxThreadReplacements, Duration threadReplacementWindow, String topology,
        ApplicationSettings detection, ApplicationSettings incidents) {

    /** Detection and the incident stages as two Kafka Streams applications, each with its own settings. */
    public static final String SPLIT = "split";
    /** Everything in one application, committing every {@code streams.commitInterval}. */
    public static final String SINGLE = "single";
    /** {@code streams.topology} when unset. */
    public static final String DEFAULT_TOPOLOGY = SPLIT;
    private static final Set<String> GUARANTEES = Set.of("exactly_once_v2", "at_least_once");
    private static final Set<String> TOPOLOGIES = Set.of(SPLIT, SINGLE);

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
        topology = topology == null ? DEFAULT_TOPOLOGY : topology;
        if (!TOPOLOGIES.contains(topology)) {
            throw new IllegalArgumentException("streams.topology must be one of " + TOPOLOGIES + ", was '" + topology
                    + "'");
        }
        detection = (detection == null ? ApplicationSettings.DETECTION : detection).validated("streams.detection");
        incidents = (incidents == null ? ApplicationSettings.INCIDENTS : incidents).validated("streams.incidents");
    }

    /** The default topology (split: docs/benchmarks.md has the figures that chose it) and applications' settings. */
    public StreamsSettings(String applicationId, String stateDir, String processingGuarantee, Duration commitInterval,
            int numStandbyReplicas, String advertisedHost, RocksDbSettings rocksdb, String onUncaughtException,
            int maxThreadReplacements, Duration threadReplacementWindow) {
        this(applicationId, stateDir, processingGuarantee, commitInterval, numStandbyReplicas, advertisedHost,
                rocksdb, onUncaughtException, maxThreadReplacements, threadReplacementWindow, DEFAULT_TOPOLOGY, null, null);
    }

    /** The same settings with {@code streams.topology} set to {@code topology} (split or single). */
    public StreamsSettings withTopology(String topology) {
        return new StreamsSettings(applicationId, stateDir, processingGuarantee, commitInterval, numStandbyReplicas,
                advertisedHost, rocksdb, onUncaughtException, maxThreadReplacements, threadReplacementWindow, topology,
                detection, incidents);
    }

    /** Whether detection and the incident stages run as two applications. */
    public boolean split() {
        return SPLIT.equals(topology);
    }

    /**
     * The incident stages' application id: {@code applicationId} itself in both modes, so their changelogs
     * (correlation, timers, runbook progress), repartition topics and committed offsets stay across a change of
     * {@code streams.topology}.
     */
    public String incidentsApplicationId() {
        return applicationId;
    }

    /** Detection's application id when split: {@code <applicationId>-detection}. */
    public String detectionApplicationId() {
        return applicationId + "-detection";
    }

    /** The defaults for everything but the application: 64 MiB of RocksDB, replace a thread up to 3 times in 10m. */
    public StreamsSettings(String applicationId, String stateDir, String processingGuarantee, Duration commitInterval,
            int numStandbyReplicas, String advertisedHost) {
        this(applicationId, stateDir, processingGuarantee, commitInterval, numStandbyReplicas, advertisedHost,
                RocksDbSettings.DEFAULT, UncaughtExceptionPolicy.REPLACE_THREAD, 3, Duration.ofMinutes(10));
    }
}

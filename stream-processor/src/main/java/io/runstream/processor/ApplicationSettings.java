package io.runstream.processor;

import java.time.Duration;

/**
 * What each of the two Kafka Streams applications of {@code streams.topology: split} sets on its own: how often it
 * commits (under exactly_once_v2 the floor of its output's latency, and per commit a cost to its throughput) and
 * how many stream threads it runs.
 */
public record ApplicationSettings(Duration commitInterval, int threads) {

    /** Fails naming {@code key} (e.g. {@code streams.detection}) unless both settings are usable. */
    ApplicationSettings validated(String key) {
        if (commitInterval == null || commitInterval.isNegative() || commitInterval.isZero()) {
            throw new IllegalArgumentException(key + ".commitInterval must be positive, was " + commitInterval);
        }
        if (threads < 1) {
            throw new IllegalArgumentException(key + ".threads must be >= 1, was " + threads);
        }
        return this;
    }

    /** Detection's defaults: 100 ms commits, the throughput the benchmarks measured, on one thread. */
    public static final ApplicationSettings DETECTION = new ApplicationSettings(Duration.ofMillis(100), 1);
    /** The incident stages' defaults: 20 ms commits (an alert crosses two), so its commands are committed soon. */
    public static final ApplicationSettings INCIDENTS = new ApplicationSettings(Duration.ofMillis(20), 1);
}

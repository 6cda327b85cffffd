package io.runstream.processor;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Properties;

import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;

/**
 * One Kafka Streams application of the processor (detection, the incident stages, or both in one) with what
 * watches over it: its uncaught-exception policy, its unclean-shutdown guard and its metrics. Each application has
 * its own state directory under {@code streams.stateDir} (Kafka Streams' {@code <stateDir>/<application.id>}), so
 * each has its own guard marker.
 */
final class StreamsInstance {

    private final String role;
    private final KafkaStreams streams;
    private final UncaughtExceptionPolicy uncaughtExceptions;
    private final UncleanShutdownGuard shutdownGuard;
    private final KafkaStreamsMetrics metrics;

    /** {@code role} names the application in health reasons: detection, incidents or streams (single). */
    StreamsInstance(String role, Topology topology, Properties properties, StreamsSettings settings,
            MeterRegistry registry) {
        this.role = role;
        this.streams = new KafkaStreams(topology, properties);
        this.uncaughtExceptions = new UncaughtExceptionPolicy(settings, Clock.systemUTC(), registry);
        streams.setUncaughtExceptionHandler(uncaughtExceptions);
        this.metrics = new KafkaStreamsMetrics(streams);
        metrics.bindTo(registry);
        this.shutdownGuard = new UncleanShutdownGuard(Path.of(properties.getProperty(StreamsConfig.STATE_DIR_CONFIG)),
                properties.getProperty(StreamsConfig.APPLICATION_ID_CONFIG), settings.processingGuarantee(), registry);
    }

    KafkaStreams streams() {
        return streams;
    }

    void start() {
        shutdownGuard.beforeStart(streams);
        streams.start();
    }

    /** Null while RUNNING; else why this application is not ready. */
    String notRunning() {
        KafkaStreams.State state = streams.state();
        return state == KafkaStreams.State.RUNNING ? null : label() + "state " + state;
    }

    /**
     * Null while the application runs or may still recover (created, rebalancing, replacing a thread); the reason
     * once it is in ERROR, or stopped without being closed: only a restart brings it back.
     */
    String dead() {
        KafkaStreams.State state = streams.state();
        boolean dead = state == KafkaStreams.State.ERROR || state == KafkaStreams.State.PENDING_ERROR
                || state == KafkaStreams.State.NOT_RUNNING || state == KafkaStreams.State.PENDING_SHUTDOWN;
        if (!dead) {
            return null;
        }
        String cause = uncaughtExceptions.lastFailure();
        return label() + "state " + state + (cause == null ? "" : " after uncaught exception: " + cause);
    }

    /** Closes within {@code timeout}; true if every store closed (then the next start may reuse the local state). */
    boolean close(Duration timeout) {
        boolean storesClosed = streams.close(timeout);
        if (storesClosed && uncaughtExceptions.lastFailure() == null) {
            shutdownGuard.cleanlyStopped();
        }
        metrics.close();
        return storesClosed;
    }

    private String label() {
        return "streams".equals(role) ? "streams " : role + " streams ";
    }
}

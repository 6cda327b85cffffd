package io.runstream.processor;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;

import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * What an exception that escapes a processor does ({@code streams.onUncaughtException}). {@code replace-thread}
 * (the default) replaces the stream thread, whose tasks restart from their last commit, up to
 * {@code streams.maxThreadReplacements} times within {@code streams.threadReplacementWindow}; one more and the
 * client shuts down, so a record that fails every time cannot loop forever: the instance goes to ERROR,
 * {@code /health/live} fails and Kubernetes restarts the pod. {@code shutdown-client} stops this instance at the
 * first one, {@code shutdown-application} every instance of the application. Each exception is logged and
 * counted in {@code runstream_stream_thread_exceptions_total{response}}.
 */
public final class UncaughtExceptionPolicy implements StreamsUncaughtExceptionHandler {

    public static final String REPLACE_THREAD = "replace-thread";
    public static final String SHUTDOWN_CLIENT = "shutdown-client";
    public static final String SHUTDOWN_APPLICATION = "shutdown-application";
    static final Set<String> POLICIES = Set.of(REPLACE_THREAD, SHUTDOWN_CLIENT, SHUTDOWN_APPLICATION);
    private static final Logger LOG = LoggerFactory.getLogger(UncaughtExceptionPolicy.class);

    private final String policy;
    private final int maxReplacements;
    private final Duration window;
    private final Clock clock;
    private final MeterRegistry registry;
    private final Deque<Instant> replacements = new ArrayDeque<>();
    private volatile String lastFailure;

    public UncaughtExceptionPolicy(StreamsSettings settings, Clock clock, MeterRegistry registry) {
        this.policy = settings.onUncaughtException();
        this.maxReplacements = settings.maxThreadReplacements();
        this.window = settings.threadReplacementWindow();
        this.clock = clock;
        this.registry = registry;
    }

    @Override
    public synchronized StreamThreadExceptionResponse handle(Throwable exception) {
        StreamThreadExceptionResponse response = decide();
        lastFailure = exception.toString();
        Counter.builder("runstream.stream.thread.exceptions").description("Exceptions that escaped a processor, by "
                + "what the policy did").tag("response", response.name()).register(registry).increment();
        LOG.error("uncaught exception in stream thread {}: {} (streams.onUncaughtException={}, {} of {} replacement(s) "
                + "used in the last {})", Thread.currentThread().getName(), response, policy, replacements.size(),
                maxReplacements, window, exception);
        return response;
    }

    private StreamThreadExceptionResponse decide() {
        switch (policy) {
            case SHUTDOWN_CLIENT:
                return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
            case SHUTDOWN_APPLICATION:
                return StreamThreadExceptionResponse.SHUTDOWN_APPLICATION;
            default:
                Instant now = clock.instant();
                while (!replacements.isEmpty() && !replacements.peekFirst().isAfter(now.minus(window))) {
                    replacements.removeFirst();
                }
                if (replacements.size() >= maxReplacements) {
                    return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
                }
                replacements.addLast(now);
                return StreamThreadExceptionResponse.REPLACE_THREAD;
        }
    }

    /** The last exception that escaped a processor, or null: the reason /health/live gives. */
    public String lastFailure() {
        return lastFailure;
    }
}

package io.runstream.processor;

import static org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
import static org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_APPLICATION;
import static org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.runstream.processor.memory.RocksDbSettings;

class UncaughtExceptionPolicyTest {

    private static final Instant T0 = Instant.parse("2026-12-06T05:00:00Z");
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final MutableClock clock = new MutableClock(T0);

    @Test
    void replacesTheThreadUpToTheLimitWithinTheWindowThenShutsTheClientDown() {
        UncaughtExceptionPolicy policy = policy(UncaughtExceptionPolicy.REPLACE_THREAD, 3, Duration.ofMinutes(10));

        assertThat(policy.handle(new IllegalStateException("store closed"))).isEqualTo(REPLACE_THREAD);
        clock.advance(Duration.ofMinutes(1));
        assertThat(policy.handle(new IllegalStateException("store closed"))).isEqualTo(REPLACE_THREAD);
        assertThat(policy.handle(new IllegalStateException("store closed"))).isEqualTo(REPLACE_THREAD);
        assertThat(policy.handle(new IllegalStateException("store closed again"))).isEqualTo(SHUTDOWN_CLIENT);

        assertThat(policy.lastFailure()).contains("store closed again");
        assertThat(registry.get("runstream.stream.thread.exceptions").tag("response", "REPLACE_THREAD").counter()
                .count()).isEqualTo(3);
        assertThat(registry.get("runstream.stream.thread.exceptions").tag("response", "SHUTDOWN_CLIENT").counter()
                .count()).isEqualTo(1);
    }

    @Test
    void forgetsReplacementsOlderThanTheWindow() {
        UncaughtExceptionPolicy policy = policy(UncaughtExceptionPolicy.REPLACE_THREAD, 1, Duration.ofMinutes(10));

        assertThat(policy.handle(new IllegalStateException("first"))).isEqualTo(REPLACE_THREAD);
        clock.advance(Duration.ofMinutes(10));
        assertThat(policy.handle(new IllegalStateException("an hour later"))).isEqualTo(REPLACE_THREAD);
        assertThat(policy.handle(new IllegalStateException("right after"))).isEqualTo(SHUTDOWN_CLIENT);
    }

    @Test
    void shutsDownAtTheFirstExceptionWhenConfiguredTo() {
        assertThat(policy(UncaughtExceptionPolicy.SHUTDOWN_CLIENT, 3, Duration.ofMinutes(10))
                .handle(new IllegalStateException("x"))).isEqualTo(SHUTDOWN_CLIENT);
        assertThat(policy(UncaughtExceptionPolicy.SHUTDOWN_APPLICATION, 3, Duration.ofMinutes(10))
                .handle(new IllegalStateException("x"))).isEqualTo(SHUTDOWN_APPLICATION);
    }

    @Test
    void refusesAnUnknownPolicyNamingTheKey() {
        assertThatThrownBy(() -> settings("restart", 3, Duration.ofMinutes(10)))
                .hasMessageContaining("streams.onUncaughtException must be one of")
                .hasMessageContaining("'restart'");
    }

    private UncaughtExceptionPolicy policy(String name, int max, Duration window) {
        return new UncaughtExceptionPolicy(settings(name, max, window), clock, registry);
    }

    private static StreamsSettings settings(String policy, int max, Duration window) {
        return new StreamsSettings("runstream-stream-processor", "", "exactly_once_v2", Duration.ofMillis(100), 0, "",
                RocksDbSettings.DEFAULT, policy, max, window);
    }

    private static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}

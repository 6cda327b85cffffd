package io.runstream.launcher.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

class StoryClockTest {

    private static final Instant T0 = Instant.parse("2026-11-22T18:00:00Z");

    /** A wall clock the test moves. */
    private static final class ManualClock extends Clock {
        private Instant now = T0;

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void tenMinutesOfStoryTakeOneMinuteAtTenfoldSpeedAndEndAtTheWallClock() {
        ManualClock wall = new ManualClock();
        StoryClock clock = new StoryClock(wall, 10, Duration.ofMinutes(10));

        assertThat(clock.start()).isEqualTo(T0.minus(Duration.ofMinutes(9)));
        wall.advance(Duration.ofSeconds(30));
        assertThat(clock.now()).isEqualTo(clock.start().plus(Duration.ofMinutes(5)));
        wall.advance(Duration.ofSeconds(30));
        assertThat(clock.now()).isEqualTo(T0.plus(Duration.ofMinutes(1)));
        assertThat(clock.untilEvent(clock.now().plusSeconds(15))).isEqualTo(Duration.ofSeconds(15));
    }

    @Test
    void neverRunsAheadOfTheWallClockWhenTheStoryRunsLong() {
        ManualClock wall = new ManualClock();
        StoryClock clock = new StoryClock(wall, 60, Duration.ofMinutes(5));

        wall.advance(Duration.ofMinutes(2));

        assertThat(clock.now()).isEqualTo(wall.instant());
        assertThat(clock.untilEvent(wall.instant().plusSeconds(15))).isEqualTo(Duration.ofSeconds(15));
    }

    @Test
    void waitingForThePipelineRunsInRealTimeAndKeepsTheCompressedBudget() {
        ManualClock wall = new ManualClock();
        StoryClock clock = new StoryClock(wall, 10, Duration.ofMinutes(10));
        wall.advance(Duration.ofSeconds(6));
        Instant beforeWait = clock.now();

        clock.slowDown();
        wall.advance(Duration.ofSeconds(20));
        Instant afterWait = clock.now();
        clock.resume();
        wall.advance(Duration.ofSeconds(6));

        assertThat(Duration.between(beforeWait, afterWait)).isEqualTo(Duration.ofSeconds(20));
        assertThat(Duration.between(afterWait, clock.now())).isEqualTo(Duration.ofMinutes(1));
        assertThat(clock.untilEvent(clock.now().plusSeconds(30))).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void refusesASpeedBelowRealTime() {
        assertThatThrownBy(() -> new StoryClock(Clock.systemUTC(), 0.5, Duration.ofMinutes(1)))
                .hasMessageContaining("at least 1");
    }
}

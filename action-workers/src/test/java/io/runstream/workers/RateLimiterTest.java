package io.runstream.workers;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

class RateLimiterTest {

    private static final String GATEWAY = "Deployment/prod/gateway";
    private final RateLimiter limiter = new RateLimiter(3, 30, Duration.ofMinutes(30),
            Clock.fixed(Commands.NOW, ZoneOffset.UTC));

    @Test
    void changesInsideTheWindowCountAndOlderOnesDoNot() {
        limiter.record(GATEWAY, Commands.NOW.minus(Duration.ofMinutes(45)));
        limiter.record(GATEWAY, Commands.NOW.minus(Duration.ofMinutes(31)));
        limiter.record(GATEWAY, Commands.NOW.minus(Duration.ofMinutes(20)));
        limiter.record(GATEWAY, Commands.NOW.minus(Duration.ofMinutes(10)));

        assertThat(limiter.problem(GATEWAY)).isNull();

        limiter.record(GATEWAY);

        assertThat(limiter.problem(GATEWAY)).contains("3 actions on " + GATEWAY);
        assertThat(limiter.problem("Deployment/prod/fraud-model")).isNull();
    }
}

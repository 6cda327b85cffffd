package io.runstream.processor.rules;

import java.time.Duration;

/**
 * The {@code evaluation:} section of the rules file: rules are evaluated per service at event-time steps
 * {@code interval} apart (aligned to the epoch, like Prometheus' {@code evaluation_interval}); a step is
 * evaluated once the service's samples have gone {@code lateGrace} past it, so samples up to that late are
 * still counted and later ones are dropped.
 */
public record EvaluationSettings(Duration interval, Duration lateGrace) {

    public EvaluationSettings {
        if (interval == null || interval.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("evaluation.interval must be at least 1s, was " + interval);
        }
        if (lateGrace == null || lateGrace.isNegative()) {
            throw new IllegalArgumentException("evaluation.lateGrace must be zero or positive, was " + lateGrace);
        }
    }

    /** Prometheus' common 15s evaluation interval; 30s of grace covers remote_write's batching and retries. */
    public static EvaluationSettings defaults() {
        return new EvaluationSettings(Duration.ofSeconds(15), Duration.ofSeconds(30));
    }
}

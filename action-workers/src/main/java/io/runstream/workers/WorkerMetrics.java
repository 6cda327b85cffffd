package io.runstream.workers;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.runstream.avro.ActionOutcome;
import io.runstream.avro.ActionType;

/**
 * The workers' meters, as Prometheus shows them: {@code runstream_action_commands_total{type,outcome}},
 * {@code runstream_action_execution_seconds{type,outcome}} (histogram), {@code runstream_action_rate_limited_total},
 * {@code runstream_action_dry_runs_total} (both by type) and {@code runstream_action_duplicates_total}.
 */
final class WorkerMetrics {

    private final MeterRegistry registry;

    WorkerMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    Timer.Sample startTimer() {
        return Timer.start(registry);
    }

    void finished(ActionType type, ActionOutcome outcome, Timer.Sample sample) {
        sample.stop(Timer.builder("runstream_action_execution")
                .description("Time from taking a command to knowing its outcome, retries included")
                .tags("type", type.name(), "outcome", outcome.name())
                .publishPercentileHistogram()
                .register(registry));
        Counter.builder("runstream_action_commands_total").description("Commands answered, by type and outcome")
                .tags("type", type.name(), "outcome", outcome.name()).register(registry).increment();
    }

    void rateLimited(ActionType type) {
        Counter.builder("runstream_action_rate_limited_total").description("Commands refused by a rate limit")
                .tag("type", type.name()).register(registry).increment();
    }

    void dryRun(ActionType type) {
        Counter.builder("runstream_action_dry_runs_total").description("Commands evaluated in dry run")
                .tag("type", type.name()).register(registry).increment();
    }

    void duplicate() {
        Counter.builder("runstream_action_duplicates_total")
                .description("Redelivered commands whose id already has a result; not run again")
                .register(registry).increment();
    }
}

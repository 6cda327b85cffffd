package io.runstream.workers;

import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.runstream.avro.ActionCommand;
import io.runstream.avro.ActionMode;
import io.runstream.avro.ActionOutcome;
import io.runstream.avro.ActionResult;
import io.runstream.avro.ActionTarget;
import io.runstream.avro.ActionType;
import io.runstream.schemas.PartitionKeys;

/**
 * Turns one command into exactly one result: skips ids already done, expires late commands, refuses what the
 * global mode and safety rules forbid, and otherwise hands the command to the executor of its type. Never
 * throws for a bad command; every refusal is a result with a reason code.
 */
public final class CommandHandler {

    private final Map<ActionType, ActionExecutor> executors = new EnumMap<>(ActionType.class);
    private final RemediationMode mode;
    private final SafetyPolicy safety;
    private final RateLimiter rateLimiter;
    private final DoneCommands done;
    private final Clock clock;
    private final String worker;
    private final WorkerMetrics metrics;

    public CommandHandler(List<ActionExecutor> executors, RemediationMode mode, SafetyPolicy safety,
            DoneCommands done, Clock clock, String worker, MeterRegistry metrics) {
        executors.forEach(e -> this.executors.put(e.type(), e));
        this.mode = mode;
        this.safety = safety;
        this.rateLimiter = new RateLimiter(safety.perTargetActions(), safety.globalActions(), safety.rateWindow(),
                clock);
        this.done = done;
        this.clock = clock;
        this.worker = worker;
        this.metrics = new WorkerMetrics(metrics);
    }

    /**
     * Takes in the results published before this worker started: their ids count as done, and their changes
     * still inside the rate window count against the limits.
     */
    public void restore(Collection<ActionResult> earlier) {
        earlier.stream().sorted(Comparator.comparing(ActionResult::getFinishedAt)).forEach(result -> {
            // a change counts once: an APPLIED result's final SUCCEEDED is not a second change
            boolean first = !done.contains(result.getCommandId());
            done.add(result.getCommandId());
            ActionExecutor executor = executors.get(result.getType());
            if (executor != null) {
                executor.remember(result);
            }
            if (first && changed(result.getOutcome()) && executor != null && executor.rateLimited()) {
                rateLimiter.record(PartitionKeys.actionTarget(result.getTarget()), result.getFinishedAt());
            }
        });
    }

    /** The result for the command, or empty when this command id already produced one. */
    public Optional<ActionResult> handle(ActionCommand command) {
        if (done.contains(command.getCommandId())) {
            metrics.duplicate();
            return Optional.empty();
        }
        Instant started = clock.instant();
        Timer.Sample sample = metrics.startTimer();
        Execution execution = decide(command, started);
        metrics.finished(command.getType(), execution.outcome(), sample);
        done.add(command.getCommandId());
        return Optional.of(result(command, execution, started));
    }

    private Execution decide(ActionCommand command, Instant now) {
        Instant expiry = safety.expiryOf(command);
        if (!now.isBefore(expiry)) {
            return new Execution(ActionOutcome.EXPIRED, "expired", "arrived after its expiry " + expiry
                    + (expiry.equals(command.getExpiresAt()) ? "" : " (issued " + command.getIssuedAt()
                            + ", safety.maxCommandExpiry " + safety.maxCommandExpiry() + ")") + "; skipped",
                    Map.of(), Map.of(), 0);
        }
        ActionExecutor executor = executors.get(command.getType());
        if (executor == null) {
            return rejected("unknown_action", "no executor for action type " + command.getType());
        }
        String sizeProblem = ParameterLimits.problem(command.getParameters());
        if (sizeProblem != null) {
            return rejected("malformed_parameters", sizeProblem);
        }
        if (!executor.remediation()) {
            return run(executor, command, isDryRun(command), null);
        }
        if (mode == RemediationMode.OFF) {
            return rejected("mode_off", "remediation mode is off; nothing was changed");
        }
        String namespaceProblem = safety.namespaceProblem(command.getTarget().getNamespace());
        if (namespaceProblem != null) {
            return rejected("namespace_denied", namespaceProblem);
        }
        if (!executor.rateLimited()) {
            return run(executor, command, isDryRun(command), null);
        }
        String key = PartitionKeys.actionTarget(command.getTarget());
        String rateProblem = rateLimiter.problem(key);
        if (rateProblem != null) {
            metrics.rateLimited(command.getType());
            return rejected("rate_limited", rateProblem);
        }
        return run(executor, command, isDryRun(command), key);
    }

    /** Runs the executor; a change it made (or would make) counts against the rate limit of {@code key}. */
    private Execution run(ActionExecutor executor, ActionCommand command, boolean dryRun, String key) {
        try {
            Execution execution = executor.execute(command, dryRun);
            if (key != null && changed(execution.outcome())) {
                rateLimiter.record(key);
            }
            if (execution.outcome() == ActionOutcome.DRY_RUN) {
                metrics.dryRun(command.getType());
            }
            return execution;
        } catch (RejectedCommandException e) {
            return rejected(e.reasonCode(), e.getMessage());
        } catch (ExecutionFailure e) {
            return e.execution();
        } catch (RuntimeException e) {
            return Execution.failed("error", e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    /** Whether the outcome is a change made (or one that would be made) that counts against the rate limits. */
    private static boolean changed(ActionOutcome outcome) {
        return outcome == ActionOutcome.SUCCEEDED || outcome == ActionOutcome.APPLIED
                || outcome == ActionOutcome.DRY_RUN;
    }

    /** Notifications follow only the command's own mode; remediations also the global one. */
    private boolean isDryRun(ActionCommand command) {
        ActionExecutor executor = executors.get(command.getType());
        boolean globalApplies = executor == null || executor.remediation();
        return (globalApplies && mode == RemediationMode.DRY_RUN) || command.getMode() == ActionMode.DRY_RUN;
    }

    private static Execution rejected(String reasonCode, String message) {
        return new Execution(ActionOutcome.REJECTED, reasonCode, message, Map.of(), Map.of(), 0);
    }

    private ActionResult result(ActionCommand command, Execution execution, Instant started) {
        return ActionResult.newBuilder()
                .setCommandId(command.getCommandId())
                .setIncidentId(command.getIncidentId())
                // every result, refusals and expiries too: the processor routes results by it alone
                .setCorrelationKey(command.getCorrelationKey())
                .setType(command.getType())
                .setTarget(command.getTarget())
                .setMode(isDryRun(command) ? ActionMode.DRY_RUN : ActionMode.ENFORCE)
                .setOutcome(execution.outcome())
                .setReasonCode(execution.reasonCode())
                .setMessage(execution.message())
                .setBefore(Map.copyOf(execution.before()))
                .setAfter(Map.copyOf(execution.after()))
                .setAttempts(execution.attempts())
                .setWorker(worker)
                .setStartedAt(started)
                .setFinishedAt(clock.instant())
                .build();
    }
}

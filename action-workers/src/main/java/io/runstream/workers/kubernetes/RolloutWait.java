package io.runstream.workers.kubernetes;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.runstream.avro.ActionCommand;
import io.runstream.common.config.DurationParser;
import io.runstream.workers.Execution;
import io.runstream.workers.RejectedCommandException;

/**
 * The rollout-starting actions' common end: the optional {@code rolloutTimeout} parameter (5m, 30s or ISO-8601;
 * else the workers' {@code kubernetes.rolloutTimeout}), and the APPLIED result whose {@code after} carries the
 * deadline the {@link RolloutVerifier} holds the rollout to.
 */
final class RolloutWait {

    static final String PARAMETER = "rolloutTimeout";
    /** The key of an APPLIED result's {@code after} that holds the verification deadline (ISO-8601 instant). */
    static final String DEADLINE = "rolloutDeadline";
    static final Duration MAX_TIMEOUT = Duration.ofHours(6);

    private final Instant deadline;

    private RolloutWait(Instant deadline) {
        this.deadline = deadline;
    }

    /**
     * The wait for this command: from now (never later than its expiry) for its {@code rolloutTimeout} or the
     * default; a malformed value is REJECTED before anything changes.
     */
    static RolloutWait of(ActionCommand command, Instant now, Duration fallback) {
        String text = command.getParameters().get(PARAMETER);
        Duration timeout = fallback;
        if (text != null) {
            try {
                timeout = DurationParser.parse(text);
            } catch (IllegalArgumentException e) {
                throw new RejectedCommandException("malformed_parameters", PARAMETER + ": " + e.getMessage());
            }
            if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(MAX_TIMEOUT) > 0) {
                throw new RejectedCommandException("malformed_parameters", PARAMETER + " must be more than 0 and"
                        + " at most " + MAX_TIMEOUT.toHours() + "h, was '" + text + "'");
            }
        }
        Instant from = now.isAfter(command.getExpiresAt()) ? command.getExpiresAt() : now;
        return new RolloutWait(from.plus(timeout));
    }

    /** The command without {@code rolloutTimeout}, so each executor checks only its own parameters. */
    static ActionCommand withoutTimeout(ActionCommand command) {
        if (!command.getParameters().containsKey(PARAMETER)) {
            return command;
        }
        Map<String, String> rest = new HashMap<>(command.getParameters());
        rest.remove(PARAMETER);
        // field by field: Avro's copy builder deep-copies through reflection its class validator refuses
        ActionCommand copy = new ActionCommand();
        for (int field = 0; field < command.getSchema().getFields().size(); field++) {
            copy.put(field, command.get(field));
        }
        copy.setParameters(rest);
        return copy;
    }

    /** The change was accepted: APPLIED, to be verified until the deadline. */
    Execution applied(String message, Map<String, String> before, Map<String, String> after) {
        Map<String, String> withDeadline = new LinkedHashMap<>(after);
        withDeadline.put(DEADLINE, deadline.toString());
        return Execution.applied(message + "; verifying its rollout until " + deadline, before, withDeadline);
    }

    /**
     * The target already carries the change: ALREADY_APPLIED when its rollout is complete (or in a dry run),
     * else APPLIED and verified, since the attempt that made the change may have died before its rollout ended.
     */
    Execution alreadyApplied(String message, Map<String, String> state, HasMetadata workload, boolean dryRun) {
        RolloutStatus status = RolloutStatus.of(workload);
        if (dryRun || status.complete()) {
            return Execution.alreadyApplied(message, state);
        }
        return applied(message + "; its rollout is not complete (" + status.seen() + ")", state, state);
    }
}

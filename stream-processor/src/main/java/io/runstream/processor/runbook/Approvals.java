package io.runstream.processor.runbook;

import java.time.Duration;
import java.util.Objects;

/**
 * How steps held for approval ask and expire (the runbooks file's {@code approvals:}): the channel told when a
 * step starts waiting ({@code kind/name}), how long it waits unless the step says otherwise, and what happens
 * then unless the step says otherwise.
 */
public record Approvals(String channelKind, String channel, Duration timeout, OnTimeout onTimeout) {

    /** What a step whose approval timed out does: the runbook's next step, or the severity's chain has it. */
    public enum OnTimeout { SKIP, ESCALATE }

    public Approvals {
        Objects.requireNonNull(channelKind, "channelKind");
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(onTimeout, "onTimeout");
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("approvals.timeout must be positive, was " + timeout);
        }
    }

    /** slack/ml-ops-oncall, 30 minutes, escalate: a held step never waits unseen nor forever. */
    public static Approvals defaults() {
        return new Approvals("slack", "ml-ops-oncall", Duration.ofMinutes(30), OnTimeout.ESCALATE);
    }

    Duration timeoutOf(RunbookStep step) {
        return step.approvalTimeout() != null ? step.approvalTimeout() : timeout;
    }

    OnTimeout onTimeoutOf(RunbookStep step) {
        return step.onApprovalTimeout() != null ? step.onApprovalTimeout() : onTimeout;
    }
}

package io.runstream.workers;

import io.runstream.avro.ActionCommand;
import io.runstream.avro.ActionType;

/**
 * Carries out one {@link ActionType} against its target system. Implementations read the target's current
 * state first and act only when the change is not already in place, so running the same command twice
 * changes the target once.
 */
public interface ActionExecutor {

    /** The one action type this executor handles. */
    ActionType type();

    /**
     * Whether this is a remediation (a change to a production system), which the global mode and the rate limits
     * govern. Notifications are not: people are told even while remediation is off or in dry run.
     */
    default boolean remediation() {
        return true;
    }

    /**
     * Whether the per-target and global rate limits apply. They bound changes to workloads; a target such as
     * the one Alertmanager every silence goes to would otherwise let three incidents starve all others.
     */
    default boolean rateLimited() {
        return remediation();
    }

    /**
     * Executes (or, with {@code dryRun}, evaluates) the command.
     *
     * @throws RejectedCommandException when the parameters are malformed or a safety rule refuses the change
     */
    Execution execute(ActionCommand command, boolean dryRun);

    /**
     * Learns from an earlier result of this type, read from action-results on start (oldest first), what the
     * executor must remember across restarts (e.g. which Slack message is an incident's). Nothing by default.
     */
    default void remember(io.runstream.avro.ActionResult earlier) {
    }
}

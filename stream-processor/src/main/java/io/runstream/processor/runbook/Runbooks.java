package io.runstream.processor.runbook;

import java.util.List;
import java.util.Objects;

import io.runstream.avro.ActionMode;
import io.runstream.processor.escalation.EscalationPolicy;
import io.runstream.processor.recovery.RecoveryPolicy;

/**
 * Everything in the runbooks file: the runbooks in the order they are tried (every one that applies runs, in this
 * order), the global mode ({@code DRY_RUN} turns every runbook command into a dry run, whatever its step says),
 * recovery validation, the escalation policy and how held steps ask for approval and expire.
 */
public record Runbooks(List<Runbook> runbooks, ActionMode mode, RecoveryPolicy recovery, EscalationPolicy escalation,
        Approvals approvals) {

    public Runbooks {
        runbooks = List.copyOf(runbooks);
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(recovery, "recovery");
        Objects.requireNonNull(escalation, "escalation");
        Objects.requireNonNull(approvals, "approvals");
    }

    public Runbooks(List<Runbook> runbooks, ActionMode mode, RecoveryPolicy recovery, EscalationPolicy escalation) {
        this(runbooks, mode, recovery, escalation, Approvals.defaults());
    }

    public Runbooks(List<Runbook> runbooks) {
        this(runbooks, ActionMode.ENFORCE, RecoveryPolicy.defaults(), EscalationPolicy.defaults());
    }

    public static Runbooks none() {
        return new Runbooks(List.of());
    }

    /** The mode a step's command is sent with: the global mode can only make it safer. */
    public ActionMode modeOf(RunbookStep step) {
        return mode == ActionMode.DRY_RUN ? ActionMode.DRY_RUN : step.mode();
    }
}

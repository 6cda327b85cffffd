package io.runstream.processor.runbook;

/**
 * Where one runbook is for an incident's episode: the step being tried, the command it issued (or would issue
 * once approved; {@code -} when none), and its status. {@code WAITING}: its step changes a target another
 * runbook's step is changing, and it goes on when that step has a final result.
 */
record RunbookProgress(String runbook, int step, String commandId, Status status) {

    enum Status { AWAITING_APPROVAL, ISSUED, WAITING, DONE, EXHAUSTED }

    RunbookProgress with(Status next) {
        return new RunbookProgress(runbook, step, commandId, next);
    }

    /** Whether its step is changing its target (issued) or about to (held for approval). */
    boolean holdsTarget() {
        return status == Status.ISSUED || status == Status.AWAITING_APPROVAL;
    }
}

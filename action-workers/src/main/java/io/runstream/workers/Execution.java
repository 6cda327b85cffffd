package io.runstream.workers;

import java.util.Map;

import io.runstream.avro.ActionOutcome;

/** What an executor reports: the outcome and the target's relevant state before and after. */
public record Execution(ActionOutcome outcome, String reasonCode, String message, Map<String, String> before,
        Map<String, String> after, int attempts) {

    public Execution {
        before = Map.copyOf(before);
        after = Map.copyOf(after);
    }

    public static Execution succeeded(String message, Map<String, String> before, Map<String, String> after) {
        return new Execution(ActionOutcome.SUCCEEDED, null, message, before, after, 1);
    }

    /**
     * The change was accepted and its rollout is being verified; {@code after} carries the deadline (see
     * {@code RolloutVerifier}), and a final SUCCEEDED or FAILED for the same command follows.
     */
    public static Execution applied(String message, Map<String, String> before, Map<String, String> after) {
        return new Execution(ActionOutcome.APPLIED, null, message, before, after, 1);
    }

    public static Execution dryRun(String message, Map<String, String> before, Map<String, String> after) {
        return new Execution(ActionOutcome.DRY_RUN, null, message, before, after, 1);
    }

    public static Execution alreadyApplied(String message, Map<String, String> state) {
        return new Execution(ActionOutcome.ALREADY_APPLIED, null, message, state, state, 1);
    }

    public static Execution failed(String reasonCode, String message) {
        return new Execution(ActionOutcome.FAILED, reasonCode, message, Map.of(), Map.of(), 1);
    }

    public Execution withAttempts(int tries) {
        return new Execution(outcome, reasonCode, message, before, after, tries);
    }
}

package io.runstream.processor.runbook;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

import io.runstream.avro.ActionMode;
import io.runstream.avro.ActionType;

/**
 * One remediation a runbook tries, in order: the action, its target and parameters (both may use
 * {@code {{service}}}, {{namespace}}, {{incident}}, {{severity}}, {{alertname}} and {{label.NAME}}), whether it
 * only dry-runs, whether a person must approve it first, how long a worker may still carry it out, and how long
 * after it succeeded the service must be back under target ({@code deadline}; null: the file's recovery deadline),
 * and for a step held for approval how long it waits and what it does then ({@code approvalTimeout},
 * {@code onApprovalTimeout}; null: the file's {@link Approvals}).
 */
public record RunbookStep(String name, ActionType action, String targetKind, String targetNamespace,
        String targetName, String container, Map<String, String> parameters, ActionMode mode,
        boolean requiresApproval, Duration expiresAfter, Duration deadline, Duration approvalTimeout,
        Approvals.OnTimeout onApprovalTimeout) {

    /** A step that takes the file's approval timeout and what follows it. */
    public RunbookStep(String name, ActionType action, String targetKind, String targetNamespace,
            String targetName, String container, Map<String, String> parameters, ActionMode mode,
            boolean requiresApproval, Duration expiresAfter, Duration deadline) {
        this(name, action, targetKind, targetNamespace, targetName, container, parameters, mode, requiresApproval,
                expiresAfter, deadline, null, null);
    }

    public RunbookStep {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(targetKind, "targetKind");
        Objects.requireNonNull(targetName, "targetName");
        parameters = Map.copyOf(parameters);
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(expiresAfter, "expiresAfter");
        if (deadline != null && (deadline.isNegative() || deadline.isZero())) {
            throw new IllegalArgumentException("step " + name + ": deadline must be positive");
        }
        if (approvalTimeout != null && (approvalTimeout.isNegative() || approvalTimeout.isZero())) {
            throw new IllegalArgumentException("step " + name + ": approvalTimeout must be positive");
        }
    }
}

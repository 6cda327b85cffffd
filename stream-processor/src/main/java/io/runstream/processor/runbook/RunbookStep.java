package io.runstream.processor.runbook;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

import io.runstream.avro.ActionMode;
import io.runstream.avro.ActionType;

/**
 * One remediation a runbook tries, in order: the action, its target and parameters (both may use
 * {@code {{service}}}, {{namespace}}, {{incident}}, {{severity}}, {{alertname}} and {{label.NAME}}), whether it
 * only dry-runs, whether a person must approve it first, and how long a worker may still carry it out.
 */
public record RunbookStep(String name, ActionType action, String targetKind, String targetNamespace,
        String targetName, String container, Map<String, String> parameters, ActionMode mode,
        boolean requiresApproval, Duration expiresAfter) {

    public RunbookStep {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(targetKind, "targetKind");
        Objects.requireNonNull(targetName, "targetName");
        parameters = Map.copyOf(parameters);
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(expiresAfter, "expiresAfter");
    }
}

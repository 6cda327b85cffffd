package io.runstream.processor.escalation;

import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import io.runstream.avro.ActionType;
import io.runstream.avro.Severity;

/**
 * Escalation per severity. Defaults follow the runbooks: runbook 001's matrix (P1 pages the on-call at once, the
 * tech lead after 5 minutes unacknowledged and the VP after 15; P2 messages #ml-ops-oncall, pages the on-call
 * after 5 minutes without response and updates the tech lead every 15; P3 opens a ticket; P4 nothing at once)
 * and runbook 000's status-update cadence (P1 every 30 minutes, P2 every hour, P3 daily).
 *
 * @param commandTtl how long a worker may still carry out a notification command after it was issued
 */
public record EscalationPolicy(Map<Severity, SeverityEscalation> bySeverity, Duration commandTtl) {

    private static final SeverityEscalation NOTHING = new SeverityEscalation(List.of(), Duration.ZERO, "slack",
            "incidents");

    public EscalationPolicy {
        bySeverity = Map.copyOf(bySeverity);
        if (commandTtl == null || commandTtl.isNegative() || commandTtl.isZero()) {
            throw new IllegalArgumentException("commandTtl must be positive");
        }
    }

    public SeverityEscalation forSeverity(Severity severity) {
        return bySeverity.getOrDefault(severity, NOTHING);
    }

    public static EscalationPolicy defaults() {
        Map<Severity, SeverityEscalation> policy = new EnumMap<>(Severity.class);
        policy.put(Severity.P1, new SeverityEscalation(List.of(
                new EscalationStep("page-on-call", Duration.ZERO, ActionType.PAGE, "pagerduty", "on-call"),
                new EscalationStep("page-tech-lead", Duration.ofMinutes(5), ActionType.PAGE, "pagerduty", "tech-lead"),
                new EscalationStep("page-vp-engineering", Duration.ofMinutes(15), ActionType.PAGE, "pagerduty",
                        "vp-engineering")),
                Duration.ofMinutes(30), "slack", "ml-ops-oncall"));
        policy.put(Severity.P2, new SeverityEscalation(List.of(
                new EscalationStep("notify-oncall-channel", Duration.ZERO, ActionType.NOTIFY, "slack", "ml-ops-oncall"),
                new EscalationStep("page-on-call", Duration.ofMinutes(5), ActionType.PAGE, "pagerduty", "on-call")),
                Duration.ofMinutes(15), "slack", "tech-lead"));
        policy.put(Severity.P3, new SeverityEscalation(List.of(
                new EscalationStep("open-ticket", Duration.ZERO, ActionType.TICKET, "ticket", "ml-platform")),
                Duration.ofDays(1), "slack", "ml-ops-oncall"));
        policy.put(Severity.P4, NOTHING);
        return new EscalationPolicy(policy, Duration.ofMinutes(10));
    }
}

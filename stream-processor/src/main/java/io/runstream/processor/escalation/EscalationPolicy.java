package io.runstream.processor.escalation;

import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.runstream.avro.ActionType;
import io.runstream.avro.Severity;

/**
 * Escalation per severity and per alert. Defaults follow the runbooks (choices where they disagree are in
 * docs/runbooks.md, "Conformance"): runbook 001's matrix (P1 messages #ml-ops-oncall and pages the on-call at
 * once, the tech lead after 5 minutes if not improving and the VP after 15 if not resolved; P2 messages
 * #ml-ops-oncall, pages the on-call after 5 minutes without response and updates the tech lead every 15; P3 opens
 * a ticket; P4 nothing at once), status updates every 10 minutes during a P1 (runbooks 001 and 003; 000 says 30),
 * and runbook 004's per-alert escalations (DatabaseDown: the DBA at once; GPUUnavailable: the infrastructure team
 * at once; ServiceDown: the engineering manager after 15 minutes).
 *
 * @param byAlert      alertname -> the chain that starts when an alert of that name attaches to an incident
 * @param commandTtl   how long a worker may still carry out a notification command after it was issued
 * @param dashboardUrl the dashboard's public URL, linked from every notice; null for none
 */
public record EscalationPolicy(Map<Severity, SeverityEscalation> bySeverity, Map<String, List<EscalationStep>> byAlert,
        Duration commandTtl, String dashboardUrl) {

    private static final SeverityEscalation NOTHING = new SeverityEscalation(List.of(), Duration.ZERO, "slack",
            "incidents");

    public EscalationPolicy {
        bySeverity = Map.copyOf(bySeverity);
        Map<String, List<EscalationStep>> chains = new LinkedHashMap<>();
        byAlert.forEach((alertname, steps) -> chains.put(alertname, List.copyOf(steps)));
        byAlert = java.util.Collections.unmodifiableMap(chains);
        if (commandTtl == null || commandTtl.isNegative() || commandTtl.isZero()) {
            throw new IllegalArgumentException("commandTtl must be positive");
        }
        if (dashboardUrl != null && dashboardUrl.isBlank()) {
            dashboardUrl = null;
        }
    }

    public EscalationPolicy(Map<Severity, SeverityEscalation> bySeverity, Duration commandTtl) {
        this(bySeverity, Map.of(), commandTtl, null);
    }

    public SeverityEscalation forSeverity(Severity severity) {
        return bySeverity.getOrDefault(severity, NOTHING);
    }

    /** The alert's own chain; empty when it has none. */
    public List<EscalationStep> forAlert(String alertname) {
        return alertname == null ? List.of() : byAlert.getOrDefault(alertname, List.of());
    }

    public EscalationPolicy withDashboardUrl(String url) {
        return new EscalationPolicy(bySeverity, byAlert, commandTtl, url);
    }

    public static EscalationPolicy defaults() {
        Map<Severity, SeverityEscalation> policy = new EnumMap<>(Severity.class);
        policy.put(Severity.P1, new SeverityEscalation(List.of(
                new EscalationStep("notify-oncall-channel", Duration.ZERO, ActionType.NOTIFY, "slack", "ml-ops-oncall"),
                new EscalationStep("page-on-call", Duration.ZERO, ActionType.PAGE, "pagerduty", "on-call"),
                new EscalationStep("page-tech-lead", Duration.ofMinutes(5), ActionType.PAGE, "pagerduty", "tech-lead",
                        EscalationStop.MITIGATED),
                new EscalationStep("page-vp-engineering", Duration.ofMinutes(15), ActionType.PAGE, "pagerduty",
                        "vp-engineering", EscalationStop.RESOLVED)),
                Duration.ofMinutes(10), "slack", "ml-ops-oncall"));
        policy.put(Severity.P2, new SeverityEscalation(List.of(
                new EscalationStep("notify-oncall-channel", Duration.ZERO, ActionType.NOTIFY, "slack", "ml-ops-oncall"),
                new EscalationStep("page-on-call", Duration.ofMinutes(5), ActionType.PAGE, "pagerduty", "on-call")),
                Duration.ofMinutes(15), "slack", "tech-lead"));
        policy.put(Severity.P3, new SeverityEscalation(List.of(
                new EscalationStep("open-ticket", Duration.ZERO, ActionType.TICKET, "ticket", "ml-platform")),
                Duration.ofDays(1), "slack", "ml-ops-oncall"));
        policy.put(Severity.P4, NOTHING);
        Map<String, List<EscalationStep>> byAlert = new LinkedHashMap<>();
        byAlert.put("DatabaseDown", List.of(
                new EscalationStep("page-dba", Duration.ZERO, ActionType.PAGE, "pagerduty", "dba")));
        byAlert.put("GPUUnavailable", List.of(
                new EscalationStep("page-infrastructure", Duration.ZERO, ActionType.PAGE, "pagerduty", "infrastructure")));
        byAlert.put("ServiceDown", List.of(
                new EscalationStep("page-engineering-manager", Duration.ofMinutes(15), ActionType.PAGE, "pagerduty",
                        "engineering-manager")));
        return new EscalationPolicy(policy, byAlert, Duration.ofMinutes(10), null);
    }
}

package io.runstream.workers.notify;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import io.runstream.avro.ActionCommand;
import io.runstream.avro.ActionType;
import io.runstream.workers.Commands;

/**
 * Runbook 003's incident, "High Error Rate - Inference Gateway", as the parameters the processor sends with each
 * of the runbook's Communication messages (Initial Notification, Status Update, Resolution Notification).
 */
final class StatusUpdates {

    static final String INCIDENT = "inc-gateway-5xx-001";
    static final String DASHBOARD = "http://127.0.0.1:8082/dashboard?incident=inc-gateway-5xx-001&tab=timeline";
    static final String ROUTING_KEY = "R0UT1NGKEY0000000000000000000001";

    private StatusUpdates() {
    }

    static Map<String, String> initialNotification() {
        return Map.of("event", "opened", "title", "High Error Rate - Inference Gateway", "severity", "P1",
                "service", "inference-gateway", "status", "Investigating", "startedAt", "2026-12-06T14:23:00Z",
                "commander", "alice", "nextUpdateAt", "2026-12-06T14:33:00Z", "dashboard", DASHBOARD,
                "impact", "Error Rate: 12% (target: <0.5%)");
    }

    static Map<String, String> statusUpdate() {
        return Map.of("event", "update", "title", "High Error Rate - Inference Gateway", "severity", "P1",
                "service", "inference-gateway", "status", "Mitigation in progress", "startedAt",
                "2026-12-06T14:23:00Z", "commander", "alice", "nextUpdateAt", "2026-12-06T14:43:00Z",
                "impact", "Error Rate: 8% (decreasing)", "actions", "Rolling back deployment v1.2.3 → v1.2.2");
    }

    static Map<String, String> resolutionNotification() {
        return Map.of("event", "resolved", "title", "High Error Rate - Inference Gateway", "severity", "P1",
                "service", "inference-gateway", "status", "Resolved", "startedAt", "2026-12-06T14:23:00Z",
                "commander", "alice", "duration", "PT22M", "resolvedBy", "recovery", "actions",
                "Rollback to v1.2.2");
    }

    /** The same parameters with some replaced or added. */
    static Map<String, String> with(Map<String, String> parameters, String... keyValues) {
        Map<String, String> changed = new HashMap<>(parameters);
        for (int i = 0; i < keyValues.length; i += 2) {
            changed.put(keyValues[i], keyValues[i + 1]);
        }
        return changed;
    }

    /** A command for runbook 003's incident, valid for ten minutes from now. */
    static ActionCommand command(String id, ActionType type, String kind, String name,
            Map<String, String> parameters) {
        ActionCommand command = Commands.fresh(Commands.command(id, type, kind, null, name, parameters));
        command.setIncidentId(INCIDENT);
        command.setReason("inference-gateway error rate 12% above 0.5% for 5m");
        command.setRunbook("high-error-rate#communication");
        return command;
    }

    /** Each channel's URL, or null for a channel that is not configured; the local inbox off. */
    static NotifySettings settings(String slack, String webhook, String pagerduty, String ticket) {
        return new NotifySettings(new NotifySettings.Slack(slack, Map.of()),
                new NotifySettings.PagerDuty(pagerduty, pagerduty == null ? null : ROUTING_KEY, Map.of()),
                new NotifySettings.Webhook(webhook, null), new NotifySettings.Ticket(ticket, null),
                Duration.ofSeconds(5), new NotifySettings.Inbox(false));
    }

    /** The same settings with the local inbox on. */
    static NotifySettings withInbox(NotifySettings settings) {
        return new NotifySettings(settings.slack(), settings.pagerduty(), settings.webhook(), settings.ticket(),
                settings.requestTimeout(), new NotifySettings.Inbox(true));
    }
}

package io.runstream.processor.escalation;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.runstream.avro.AlertRef;
import io.runstream.avro.AlertStatus;
import io.runstream.avro.Incident;
import io.runstream.avro.IncidentState;

/**
 * What a notification command says about an incident, as parameters the workers' {@code Notice} reads: the
 * content of the runbooks' templates (runbook 003 "Communication": severity, incident commander, start time,
 * current status, error rate, dashboard, next update; runbook 004 "Slack Update Template": actions taken; runbook
 * 002's resolution notice: duration and what resolved it).
 */
public final class IncidentNotice {

    /** How many of the latest actions a notice lists; the post-incident record keeps them all. */
    static final int MAX_ACTIONS = 8;

    private final String dashboardUrl;

    public IncidentNotice(String dashboardUrl) {
        this.dashboardUrl = dashboardUrl;
    }

    /**
     * @param event        opened / update / resolved for messages, trigger / acknowledge / resolve for pages
     * @param nextUpdateAt when the next status update is due, or null
     * @param actionsTaken the incident's latest actions, one line each, oldest first
     */
    public Map<String, String> parameters(Incident incident, String event, Instant nextUpdateAt,
            List<String> actionsTaken) {
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("event", event);
        parameters.put("title", incident.getTitle());
        parameters.put("severity", incident.getSeverity().name());
        parameters.put("service", incident.getService());
        parameters.put("status", status(incident));
        String impact = impact(incident);
        if (!impact.isEmpty()) {
            parameters.put("impact", impact);
        }
        parameters.put("summary", summary(incident));
        parameters.put("startedAt", incident.getOpenedAt().toString());
        String commander = incident.getAssignee() != null ? incident.getAssignee() : incident.getAcknowledgedBy();
        if (commander != null && !commander.isBlank()) {
            parameters.put("commander", commander);
        }
        if (nextUpdateAt != null) {
            parameters.put("nextUpdateAt", nextUpdateAt.toString());
        }
        if (dashboardUrl != null) {
            parameters.put("dashboard", dashboardUrl + "?incident="
                    + URLEncoder.encode(incident.getId(), StandardCharsets.UTF_8));
        }
        List<String> actions = actionsTaken.size() <= MAX_ACTIONS ? actionsTaken
                : actionsTaken.subList(actionsTaken.size() - MAX_ACTIONS, actionsTaken.size());
        if (!actions.isEmpty()) {
            parameters.put("actions", String.join("\n", actions));
        }
        if (incident.getState() == IncidentState.RESOLVED && incident.getResolvedAt() != null) {
            parameters.put("duration", Duration.between(incident.getOpenedAt(), incident.getResolvedAt())
                    .withNanos(0).toString());
            if (incident.getResolvedBy() != null) {
                parameters.put("resolvedBy", incident.getResolvedBy());
            }
        }
        return parameters;
    }

    private static String status(Incident incident) {
        return switch (incident.getState()) {
            case OPEN -> "investigating";
            case ACKNOWLEDGED -> "acknowledged";
            case MITIGATED -> "mitigated, watching recovery";
            case RESOLVED -> "resolved";
            default -> incident.getState().name().toLowerCase(Locale.ROOT);
        };
    }

    private static String impact(Incident incident) {
        List<String> lines = new ArrayList<>();
        if (incident.getErrorRate() != null) {
            lines.add(String.format(Locale.ROOT, "error rate %.1f %%", incident.getErrorRate() * 100));
        }
        if (incident.getLatencyP95Seconds() != null) {
            lines.add(String.format(Locale.ROOT, "p95 latency %.2f s", incident.getLatencyP95Seconds()));
        }
        return String.join("\n", lines);
    }

    private static String summary(Incident incident) {
        List<String> firing = incident.getAlerts().stream().filter(a -> a.getStatus() == AlertStatus.FIRING)
                .map(AlertRef::getAlertname).distinct().toList();
        return incident.getAlerts().size() + " alert(s) on " + incident.getCorrelationKey()
                + (firing.isEmpty() ? ", none firing" : ", firing: " + String.join(", ", firing));
    }
}

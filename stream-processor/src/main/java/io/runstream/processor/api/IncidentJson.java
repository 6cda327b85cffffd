package io.runstream.processor.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.runstream.avro.AlertRef;
import io.runstream.avro.Incident;
import io.runstream.avro.IncidentEvent;

/**
 * The API's JSON shape of incidents and timeline entries: plain fields with ISO-8601 times, rather than Avro's
 * JSON encoding with its union wrappers, so that a dashboard or {@code jq} reads it directly.
 */
final class IncidentJson {

    private IncidentJson() {
    }

    static Map<String, Object> summary(Incident incident) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", incident.getId());
        json.put("title", incident.getTitle());
        json.put("state", incident.getState().name());
        json.put("severity", incident.getSeverity().name());
        json.put("service", incident.getService());
        json.put("namespace", incident.getNamespace());
        json.put("correlationKey", incident.getCorrelationKey());
        json.put("labels", incident.getLabels());
        json.put("errorRate", incident.getErrorRate());
        json.put("latencyP95Seconds", incident.getLatencyP95Seconds());
        json.put("peakErrorRate", incident.getPeakErrorRate());
        json.put("peakLatencyP95Seconds", incident.getPeakLatencyP95Seconds());
        json.put("openedAt", incident.getOpenedAt());
        json.put("lastSeenAt", incident.getLastSeenAt());
        json.put("acknowledgedAt", incident.getAcknowledgedAt());
        json.put("acknowledgedBy", incident.getAcknowledgedBy());
        json.put("assignee", incident.getAssignee());
        json.put("mitigatedAt", incident.getMitigatedAt());
        json.put("resolvedAt", incident.getResolvedAt());
        json.put("resolvedBy", incident.getResolvedBy());
        json.put("reopenCount", incident.getReopenCount());
        json.put("updatedAt", incident.getUpdatedAt());
        json.put("alertCount", incident.getAlerts().size());
        return json;
    }

    static Map<String, Object> detail(Incident incident, List<IncidentEvent> timeline) {
        Map<String, Object> json = summary(incident);
        json.put("alerts", incident.getAlerts().stream().map(IncidentJson::alert).toList());
        json.put("timeline", timeline.stream().map(IncidentJson::event).toList());
        return json;
    }

    private static Map<String, Object> alert(AlertRef alert) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("fingerprint", alert.getFingerprint());
        json.put("alertname", alert.getAlertname());
        json.put("status", alert.getStatus().name());
        json.put("labels", alert.getLabels());
        json.put("summary", alert.getSummary());
        json.put("value", alert.getValue());
        json.put("startsAt", alert.getStartsAt());
        json.put("lastSeenAt", alert.getLastSeenAt());
        json.put("endsAt", alert.getEndsAt());
        return json;
    }

    private static Map<String, Object> event(IncidentEvent event) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("eventId", event.getEventId());
        json.put("type", event.getType().name());
        json.put("at", event.getAt());
        json.put("message", event.getMessage());
        json.put("severity", event.getSeverity() == null ? null : event.getSeverity().name());
        json.put("actor", event.getActor());
        json.put("alertFingerprint", event.getAlertFingerprint());
        json.put("actionCommandId", event.getActionCommandId());
        json.put("details", event.getDetails());
        return json;
    }
}

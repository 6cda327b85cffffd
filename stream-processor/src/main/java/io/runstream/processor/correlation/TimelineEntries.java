package io.runstream.processor.correlation;

import java.util.Map;

import io.runstream.avro.Alert;
import io.runstream.avro.Incident;
import io.runstream.avro.IncidentEvent;
import io.runstream.avro.IncidentEventType;
import io.runstream.processor.escalation.Episodes;
import io.runstream.avro.Severity;
import io.runstream.processor.recovery.IncidentDurations;
import io.runstream.schemas.EventIds;

/**
 * Timeline entries of the correlation stage. Event ids are derived from what happened, so a replay after a
 * crash produces the same entries instead of new ones.
 */
public final class TimelineEntries {

    private TimelineEntries() {
    }

    static IncidentEvent opened(Incident incident, long at) {
        return entry(incident, IncidentEventType.OPENED, at, null,
                "opened " + incident.getSeverity() + ": " + incident.getTitle(), Map.of());
    }

    static IncidentEvent reopened(Incident incident, long at) {
        return entry(incident, IncidentEventType.REOPENED, at, null,
                "reopened (" + incident.getReopenCount() + "x) within the reopen window: episode "
                        + incident.getReopenCount() + " escalates again from its start",
                Map.of("episode", Integer.toString(incident.getReopenCount()),
                        "commandIdPrefix", Episodes.commandIdPrefix(incident)));
    }

    static IncidentEvent alertAttached(Incident incident, Alert alert, long at) {
        String value = alert.getAnnotations().get("value");
        return entry(incident, IncidentEventType.ALERT_ATTACHED, at, alert.getFingerprint(),
                alertName(alert) + " firing" + (value == null ? "" : " (value " + value + ")"),
                Map.of("source", alert.getSource().name()));
    }

    static IncidentEvent alertResolved(Incident incident, Alert alert, long at) {
        return entry(incident, IncidentEventType.ALERT_RESOLVED, at, alert.getFingerprint(),
                alertName(alert) + " resolved", Map.of());
    }

    static IncidentEvent resolvedByAlerts(Incident incident, long at) {
        Map<String, String> details = new java.util.HashMap<>(IncidentDurations.of(incident));
        details.put("resolvedBy", "alerts");
        return entry(incident, IncidentEventType.RESOLVED, at, null, "resolved: all alerts resolved", details);
    }

    public static IncidentEvent severityChanged(Incident incident, Severity from, long at, String reason) {
        return entry(incident, IncidentEventType.SEVERITY_CHANGED, at, null,
                "severity " + from + " -> " + incident.getSeverity() + ": " + reason,
                Map.of("from", from.name(), "to", incident.getSeverity().name()));
    }

    private static IncidentEvent entry(Incident incident, IncidentEventType type, long at, String fingerprint,
            String message, Map<String, String> details) {
        String eventId = EventIds.of(incident.getId(), at, type, fingerprint);
        return IncidentEvent.newBuilder()
                .setEventId(eventId)
                .setIncidentId(incident.getId())
                .setType(type)
                .setAt(java.time.Instant.ofEpochMilli(at))
                .setMessage(message)
                .setSeverity(incident.getSeverity())
                .setAlertFingerprint(fingerprint)
                .setDetails(Map.copyOf(details))
                .build();
    }

    public static String alertName(Alert alert) {
        return alert.getLabels().getOrDefault("alertname", alert.getFingerprint());
    }
}

package io.runstream.processor.runbook;

import java.util.Map;
import java.util.Set;

import io.runstream.avro.AlertRef;
import io.runstream.avro.AlertStatus;
import io.runstream.avro.Incident;
import io.runstream.avro.Severity;

/**
 * Which incidents a runbook is for: one of its firing alerts is named in {@code alertnames} and carries every
 * label in {@code labels}, and its severity is one of {@code severities} (empty: any).
 */
public record RunbookMatch(Set<String> alertnames, Set<Severity> severities, Map<String, String> labels) {

    public RunbookMatch {
        alertnames = Set.copyOf(alertnames);
        severities = Set.copyOf(severities);
        labels = Map.copyOf(labels);
    }

    public boolean matches(Incident incident) {
        return (severities.isEmpty() || severities.contains(incident.getSeverity()))
                && incident.getAlerts().stream().anyMatch(this::matches);
    }

    /** The first firing alert the runbook is for, whose labels its templates read. */
    public AlertRef matchingAlert(Incident incident) {
        return incident.getAlerts().stream().filter(this::matches).findFirst().orElse(null);
    }

    private boolean matches(AlertRef alert) {
        return alert.getStatus() == AlertStatus.FIRING && alertnames.contains(alert.getAlertname())
                && labels.entrySet().stream().allMatch(e -> e.getValue().equals(alert.getLabels().get(e.getKey())));
    }
}

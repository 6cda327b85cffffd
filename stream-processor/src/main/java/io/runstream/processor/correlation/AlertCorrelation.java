package io.runstream.processor.correlation;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.runstream.avro.Alert;
import io.runstream.avro.AlertStatus;
import io.runstream.avro.Incident;
import io.runstream.avro.IncidentEvent;
import io.runstream.avro.IncidentState;
import io.runstream.processor.severity.SeverityClassifier;

/**
 * Stage 3 of DESIGN.md, one alert at a time: attaches a firing alert to its key's open incident, reopens a
 * recently resolved one instead of opening a duplicate, opens one when there is none, and resolves the incident
 * when its last alert resolves (unless it is mitigated: then recovery resolves it).
 */
final class AlertCorrelation {

    private final CorrelationPolicy policy;
    private final SeverityClassifier severities;
    private final CorrelationMetrics metrics;

    AlertCorrelation(CorrelationPolicy policy, SeverityClassifier severities, CorrelationMetrics metrics) {
        this.policy = policy;
        this.severities = severities;
        this.metrics = metrics;
    }

    /** The incident the alert leaves under its key; nothing when a resolved alert matches no live incident. */
    Decision apply(String key, Incident current, Alert alert, long now) {
        List<IncidentEvent> events = new ArrayList<>();
        Incident next = alert.getStatus() == AlertStatus.FIRING
                ? onFiring(key, current, alert, now, events)
                : onResolved(current, alert, now, events);
        if (next == null) {
            metrics.resolvedWithoutIncident();
            return Decision.nothing();
        }
        next.setLastSeenAt(Instant.ofEpochMilli(now));
        next.setUpdatedAt(Instant.ofEpochMilli(now));
        return Decision.of(next, events);
    }

    private Incident onFiring(String key, Incident current, Alert alert, long now, List<IncidentEvent> events) {
        if (current == null || isClosedBeyondReopenWindow(current, now)) {
            Incident opened = IncidentAlerts.open(key, policy.groupBy(), alert, now);
            // ranked before its first entries, so OPENED names the severity it opens with, not UNKNOWN
            opened.setSeverity(severities.next(null, opened));
            events.add(TimelineEntries.opened(opened, now));
            events.add(TimelineEntries.alertAttached(opened, alert, now));
            metrics.opened();
            return opened;
        }
        Incident next = Incident.newBuilder(current).build();
        if (current.getState() == IncidentState.RESOLVED) {
            next.setState(IncidentState.OPEN);
            next.setResolvedAt(null);
            next.setResolvedBy(null);
            next.setReopenCount(current.getReopenCount() + 1);
            // a new episode: its notifications start afresh, and so does what close-out will tell; the last
            // episode's acknowledgement and mitigation ended with it, or they would stop the new one's escalation
            next.setNotifiedChannels(new ArrayList<>());
            next.setAcknowledgedAt(null);
            next.setAcknowledgedBy(null);
            next.setMitigatedAt(null);
            events.add(TimelineEntries.reopened(next, now));
            metrics.reopened();
        }
        if (IncidentAlerts.attach(next, alert, now)) {
            events.add(TimelineEntries.alertAttached(next, alert, now));
        }
        return next;
    }

    private Incident onResolved(Incident current, Alert alert, long now, List<IncidentEvent> events) {
        if (current == null || current.getState() == IncidentState.RESOLVED) {
            return null;
        }
        Incident next = Incident.newBuilder(current).build();
        if (!IncidentAlerts.resolve(next, alert, now)) {
            return null;
        }
        events.add(TimelineEntries.alertResolved(next, alert, now));
        // A mitigated incident resolves only after recovery held (RecoveryWatch), not at its alerts' word.
        if (IncidentAlerts.allResolved(next) && next.getState() != IncidentState.MITIGATED) {
            next.setState(IncidentState.RESOLVED);
            next.setResolvedAt(Instant.ofEpochMilli(now));
            next.setResolvedBy("alerts");
            events.add(TimelineEntries.resolvedByAlerts(next, now));
            metrics.resolved();
        }
        return next;
    }

    private boolean isClosedBeyondReopenWindow(Incident incident, long now) {
        return incident.getState() == IncidentState.RESOLVED && incident.getResolvedAt() != null
                && now - incident.getResolvedAt().toEpochMilli() > policy.reopenWindow().toMillis();
    }
}

package io.runstream.processor.correlation;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.runstream.avro.Alert;
import io.runstream.avro.AlertRef;
import io.runstream.avro.AlertStatus;
import io.runstream.avro.Incident;
import io.runstream.avro.IncidentState;
import io.runstream.avro.Severity;

/** The alerts an incident carries, and the measurements (error rate, p95) they report. */
public final class IncidentAlerts {

    /** Bounds an incident's size when a noisy source sends many distinct fingerprints to one key. */
    static final int MAX_ALERTS = 200;

    private IncidentAlerts() {
    }

    static Incident open(String correlationKey, List<String> groupBy, Alert alert, long now) {
        Map<String, String> labels = alert.getLabels();
        Map<String, String> correlationLabels = new java.util.TreeMap<>();
        groupBy.forEach(label -> correlationLabels.put(label, labels.getOrDefault(label, CorrelationKey.MISSING)));
        Incident incident = Incident.newBuilder()
                .setId(IncidentIds.newId(correlationKey, now))
                .setCorrelationKey(correlationKey)
                .setTitle(title(alert))
                .setState(IncidentState.OPEN)
                .setSeverity(Severity.UNKNOWN)
                .setService(labels.getOrDefault("service", labels.getOrDefault("job", "unknown")))
                .setNamespace(labels.get("namespace"))
                .setLabels(correlationLabels)
                .setAlerts(new ArrayList<>())
                .setOpenedAt(Instant.ofEpochMilli(now))
                .setLastSeenAt(Instant.ofEpochMilli(now))
                .setUpdatedAt(Instant.ofEpochMilli(now))
                .build();
        attach(incident, alert, now);
        return incident;
    }

    /** Adds or refreshes the alert; true when it is new to the incident or fires again after resolving. */
    static boolean attach(Incident incident, Alert alert, long now) {
        List<AlertRef> alerts = new ArrayList<>(incident.getAlerts());
        int index = indexOf(alerts, alert.getFingerprint());
        boolean news = index < 0 || alerts.get(index).getStatus() == AlertStatus.RESOLVED;
        AlertRef ref = toRef(alert, index < 0 ? null : alerts.get(index), now);
        if (index < 0) {
            alerts.add(ref);
        } else {
            alerts.set(index, ref);
        }
        incident.setAlerts(bounded(alerts));
        measure(incident, alert);
        return news;
    }

    /** Marks the alert resolved; false when the incident does not carry it firing. */
    static boolean resolve(Incident incident, Alert alert, long now) {
        List<AlertRef> alerts = new ArrayList<>(incident.getAlerts());
        int index = indexOf(alerts, alert.getFingerprint());
        if (index < 0 || alerts.get(index).getStatus() == AlertStatus.RESOLVED) {
            return false;
        }
        alerts.set(index, toRef(alert, alerts.get(index), now));
        incident.setAlerts(alerts);
        return true;
    }

    static boolean allResolved(Incident incident) {
        return incident.getAlerts().stream().allMatch(alert -> alert.getStatus() == AlertStatus.RESOLVED);
    }

    /** One line for the timeline on why the severity is what it is. */
    public static String impactSummary(Incident incident) {
        if (incident.getErrorRate() != null) {
            return String.format(Locale.ROOT, "error rate %.1f %%", incident.getErrorRate() * 100);
        }
        return incident.getAlerts().stream().filter(a -> a.getStatus() == AlertStatus.FIRING)
                .map(a -> a.getAlertname() + " " + a.getLabels().getOrDefault("severity", ""))
                .reduce((a, b) -> a + ", " + b).orElse("alerts");
    }

    private static AlertRef toRef(Alert alert, AlertRef previous, long now) {
        return AlertRef.newBuilder()
                .setFingerprint(alert.getFingerprint())
                .setAlertname(TimelineEntries.alertName(alert))
                .setStatus(alert.getStatus())
                .setLabels(alert.getLabels())
                .setSummary(alert.getAnnotations().get("summary"))
                .setValue(value(alert))
                .setStartsAt(previous == null || alert.getStatus() == AlertStatus.FIRING
                        && previous.getStatus() == AlertStatus.RESOLVED ? alert.getStartsAt() : previous.getStartsAt())
                .setLastSeenAt(Instant.ofEpochMilli(now))
                .setEndsAt(alert.getStatus() == AlertStatus.RESOLVED
                        ? (alert.getEndsAt() != null ? alert.getEndsAt() : Instant.ofEpochMilli(now)) : null)
                .build();
    }

    /** Detection alerts say what they measured in the {@code kind} and {@code value} annotations. */
    private static void measure(Incident incident, Alert alert) {
        Double value = value(alert);
        if (value == null || alert.getStatus() != AlertStatus.FIRING) {
            return;
        }
        String kind = alert.getAnnotations().getOrDefault("kind", "");
        if (kind.equals("error_ratio")) {
            incident.setErrorRate(value);
            incident.setPeakErrorRate(max(incident.getPeakErrorRate(), value));
        } else if (kind.equals("latency_quantile") && "0.95".equals(alert.getLabels().getOrDefault("quantile", "0.95"))) {
            incident.setLatencyP95Seconds(value);
            incident.setPeakLatencyP95Seconds(max(incident.getPeakLatencyP95Seconds(), value));
        }
    }

    private static Double max(Double current, double value) {
        return current == null ? value : Math.max(current, value);
    }

    private static Double value(Alert alert) {
        String text = alert.getAnnotations().get("value");
        if (text == null) {
            return null;
        }
        try {
            double value = Double.parseDouble(text.trim());
            return Double.isFinite(value) ? value : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static int indexOf(List<AlertRef> alerts, String fingerprint) {
        for (int i = 0; i < alerts.size(); i++) {
            if (alerts.get(i).getFingerprint().equals(fingerprint)) {
                return i;
            }
        }
        return -1;
    }

    private static List<AlertRef> bounded(List<AlertRef> alerts) {
        if (alerts.size() <= MAX_ALERTS) {
            return alerts;
        }
        // Drop the longest-resolved first; only when all fire does the oldest firing one go.
        AlertRef evicted = alerts.stream()
                .min(Comparator.comparing((AlertRef a) -> a.getStatus() == AlertStatus.FIRING)
                        .thenComparing(AlertRef::getLastSeenAt))
                .orElseThrow();
        List<AlertRef> kept = new ArrayList<>(alerts);
        kept.remove(evicted);
        return kept;
    }

    private static String title(Alert alert) {
        String summary = alert.getAnnotations().get("summary");
        return summary != null && !summary.isBlank() ? summary
                : TimelineEntries.alertName(alert) + " on " + alert.getLabels().getOrDefault("service", "unknown");
    }
}

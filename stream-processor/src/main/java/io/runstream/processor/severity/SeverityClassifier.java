package io.runstream.processor.severity;

import java.util.Optional;

import io.runstream.avro.AlertRef;
import io.runstream.avro.AlertStatus;
import io.runstream.avro.Incident;
import io.runstream.avro.Severity;

/** Stage 4 of DESIGN.md: an incident's priority under the {@link SeverityPolicy}. */
public final class SeverityClassifier {

    private final SeverityPolicy policy;

    public SeverityClassifier(SeverityPolicy policy) {
        this.policy = policy;
    }

    /** The priority the incident's current alerts and impact call for, ignoring what it had before. */
    public Severity classify(Incident incident) {
        Optional<Severity> fromAlerts = incident.getAlerts().stream()
                .filter(alert -> alert.getStatus() == AlertStatus.FIRING)
                .map(SeverityClassifier::severityLabel)
                .flatMap(label -> Optional.ofNullable(policy.byAlertSeverity().get(label)).stream())
                .reduce(SeverityClassifier::higher);
        Optional<Severity> fromImpact = Optional.ofNullable(incident.getErrorRate()).flatMap(rate ->
                policy.errorRate().stream().filter(t -> rate > t.above()).findFirst().map(ImpactThreshold::severity));
        Severity base = fromAlerts.map(s -> fromImpact.map(i -> higher(s, i)).orElse(s))
                .or(() -> fromImpact)
                .orElse(policy.fallback());
        return policy.criticalServices().contains(incident.getService()) ? raised(base) : base;
    }

    /**
     * What the incident's severity becomes: it rises with the classification, and never falls on its own
     * (a person may lower it; an alert resolving does not).
     */
    public Severity next(Severity current, Incident incident) {
        Severity classified = classify(incident);
        return current == null || current == Severity.UNKNOWN ? classified : higher(current, classified);
    }

    /** The more severe of two; P1 is the most severe. */
    public static Severity higher(Severity a, Severity b) {
        return rank(a) <= rank(b) ? a : b;
    }

    public static boolean isHigher(Severity candidate, Severity than) {
        return rank(candidate) < rank(than);
    }

    private static int rank(Severity severity) {
        return severity == Severity.UNKNOWN ? Integer.MAX_VALUE : severity.ordinal();
    }

    private static Severity raised(Severity severity) {
        return switch (severity) {
            case P1, P2 -> Severity.P1;
            case P3 -> Severity.P2;
            case P4 -> Severity.P3;
            case UNKNOWN -> Severity.UNKNOWN;
        };
    }

    private static String severityLabel(AlertRef alert) {
        String label = alert.getLabels().get("severity");
        return label == null ? "" : label.toLowerCase(java.util.Locale.ROOT);
    }
}

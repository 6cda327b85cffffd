package io.runstream.processor.severity;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import io.runstream.avro.Severity;

/**
 * How an incident's priority is decided, from the {@code severity:} section of the rules file. The
 * incident takes the highest (lowest-numbered) of: its firing alerts' {@code severity} labels mapped through
 * {@code byAlertSeverity}, the first {@code errorRate} threshold its measured 5xx ratio passes, and
 * {@code fallback}; a service listed in {@code criticalServices} is raised one more level.
 *
 * @param fallback         priority when nothing else applies
 * @param byAlertSeverity  alert {@code severity} label value to priority, e.g. critical -> P1
 * @param errorRate        impact thresholds, any order (runbook 001: above 10 % is P1, 2-10 % P2)
 * @param criticalServices services whose incidents rank one level higher
 */
public record SeverityPolicy(Severity fallback, Map<String, Severity> byAlertSeverity,
        List<ImpactThreshold> errorRate, Set<String> criticalServices) {

    public SeverityPolicy {
        Objects.requireNonNull(fallback, "fallback");
        if (fallback == Severity.UNKNOWN) {
            throw new IllegalArgumentException("severity fallback must be one of P1..P4");
        }
        byAlertSeverity = Map.copyOf(byAlertSeverity);
        byAlertSeverity.forEach((label, severity) -> {
            if (severity == Severity.UNKNOWN) {
                throw new IllegalArgumentException("alert severity '" + label + "' must map to one of P1..P4");
            }
        });
        // Highest threshold first, so the first one passed is the most severe that applies.
        errorRate = errorRate.stream().sorted(Comparator.comparingDouble(ImpactThreshold::above).reversed()).toList();
        criticalServices = Set.copyOf(criticalServices);
    }

    /** The runbooks' policy: critical P1 (runbooks 003, 004), warning P3, info P4; error rate above 10 % P1, above 2 % P2 (001). */
    public static SeverityPolicy defaults() {
        return new SeverityPolicy(Severity.P3,
                Map.of("critical", Severity.P1, "warning", Severity.P3, "info", Severity.P4),
                List.of(new ImpactThreshold(0.10, Severity.P1), new ImpactThreshold(0.02, Severity.P2)),
                Set.of());
    }
}

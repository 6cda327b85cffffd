package io.runstream.processor.severity;

import java.time.Instant;
import java.util.Optional;

import io.runstream.avro.Incident;
import io.runstream.avro.IncidentState;
import io.runstream.avro.ServiceHealth;
import io.runstream.avro.Severity;

/**
 * Severity from live impact (runbook 001, Severity Levels: above 10 % errors P1, 2-10 % P2): detection measures
 * each service's error rate at every evaluation, but tells the incident path only when the rate crosses into
 * another {@link #band band}, so an incident follows its service's measured impact between alert transitions at
 * a cost of one record per crossing, not one per evaluation.
 */
public final class LiveImpact {

    /**
     * An incident after a live-impact measurement.
     *
     * @param incident the incident with the measured rates and re-ranked severity (a new instance)
     * @param before   the severity it had before the measurement
     */
    public record Applied(Incident incident, Severity before) {

        /** True when the measurement raised the severity, so the timeline says so and the higher chain starts. */
        public boolean rose() {
            return before != Severity.UNKNOWN && incident.getSeverity() != before;
        }
    }

    private LiveImpact() {
    }

    /**
     * Which of the policy's {@code errorRate} thresholds the health's error rate passes: 0 when none (or nothing
     * was measured), otherwise higher for a more severe threshold, so that a band change is a severity change
     * the error rate alone calls for.
     */
    public static int band(SeverityPolicy policy, ServiceHealth health) {
        Double rate = health == null ? null : health.getErrorRate();
        if (rate == null) {
            return 0;
        }
        // The thresholds are ordered most severe first.
        for (int i = 0; i < policy.errorRate().size(); i++) {
            if (rate > policy.errorRate().get(i).above()) {
                return policy.errorRate().size() - i;
            }
        }
        return 0;
    }

    /** True when {@code next} should reach the incident path: its band differs from {@code previous}'s. */
    public static boolean bandChanged(SeverityPolicy policy, ServiceHealth previous, ServiceHealth next) {
        return band(policy, previous) != band(policy, next);
    }

    /**
     * Applies the measurement to the key's current incident: its error rate and p95 become the measured ones
     * (and its peaks when higher; a measure detection could not take leaves the last known value), and its
     * severity is re-ranked, so it can only rise. Empty when there is no live incident: impact alone opens none.
     */
    public static Optional<Applied> apply(SeverityClassifier severities, Incident current, ServiceHealth health,
            long nowMillis) {
        if (current == null || current.getState() == IncidentState.RESOLVED) {
            return Optional.empty();
        }
        Incident next = Incident.newBuilder(current).build();
        if (health.getErrorRate() != null) {
            next.setErrorRate(health.getErrorRate());
            next.setPeakErrorRate(max(next.getPeakErrorRate(), health.getErrorRate()));
        }
        if (health.getLatencyP95Seconds() != null) {
            next.setLatencyP95Seconds(health.getLatencyP95Seconds());
            next.setPeakLatencyP95Seconds(max(next.getPeakLatencyP95Seconds(), health.getLatencyP95Seconds()));
        }
        next.setSeverity(severities.next(current.getSeverity(), next));
        next.setUpdatedAt(Instant.ofEpochMilli(nowMillis));
        return Optional.of(new Applied(next, current.getSeverity()));
    }

    private static Double max(Double current, double value) {
        return current == null ? value : Math.max(current, value);
    }
}

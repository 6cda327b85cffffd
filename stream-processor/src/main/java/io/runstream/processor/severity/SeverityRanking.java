package io.runstream.processor.severity;

import java.util.List;
import java.util.Optional;

import io.runstream.avro.Incident;
import io.runstream.avro.ServiceHealth;
import io.runstream.avro.Severity;
import io.runstream.processor.correlation.Decision;
import io.runstream.processor.correlation.IncidentAlerts;
import io.runstream.processor.correlation.TimelineEntries;

/**
 * Stage 4 of DESIGN.md: ranks an incident P1..P4 after its alerts changed, or after detection measured its
 * service's impact ({@link LiveImpact}). A rise is a {@code SEVERITY_CHANGED} entry, which starts the higher
 * severity's escalation chain.
 */
public final class SeverityRanking {

    private final SeverityClassifier severities;

    public SeverityRanking(SeverityClassifier severities) {
        this.severities = severities;
    }

    /**
     * The incident as its alerts left it ({@code next}), ranked: a new incident keeps the severity it opened
     * with, one already ranked (of the same id as {@code previous}) only rises.
     */
    public Decision afterAlert(Incident previous, Incident next, long now) {
        Severity before = previous == null || !previous.getId().equals(next.getId()) ? null : previous.getSeverity();
        Severity after = severities.next(before == null ? next.getSeverity() : before, next);
        Incident ranked = Incident.newBuilder(next).setSeverity(after).build();
        if (before != null && after != before) {
            return Decision.of(ranked, List.of(TimelineEntries.severityChanged(ranked, before, now,
                    IncidentAlerts.impactSummary(ranked))));
        }
        return Decision.of(ranked, List.of());
    }

    /**
     * Detection measured the service in another impact band (runbook 001, Severity Levels): the live incident
     * takes the measured rates, stored and forwarded whether or not its severity changed. Empty when there is no
     * live incident: impact alone opens none.
     */
    public Optional<Decision> afterImpact(Incident current, ServiceHealth health, long now) {
        return LiveImpact.apply(severities, current, health, now).map(applied -> {
            Incident next = applied.incident();
            return Decision.of(next, applied.rose()
                    ? List.of(TimelineEntries.severityChanged(next, applied.before(), now,
                            IncidentAlerts.impactSummary(next)))
                    : List.of());
        });
    }
}

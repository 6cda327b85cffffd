package io.runstream.processor.correlation;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** Incident lifecycle counts of the correlation stage. */
public final class CorrelationMetrics {

    private final Counter opened;
    private final Counter reopened;
    private final Counter resolved;
    private final Counter deleted;
    private final Counter orphanResolutions;
    private final Counter orphanResults;
    private final Counter orphanImpact;

    public CorrelationMetrics(MeterRegistry registry) {
        opened = counter(registry, "opened", "Incidents opened");
        reopened = counter(registry, "reopened", "Incidents reopened within the reopen window instead of duplicated");
        resolved = counter(registry, "resolved", "Incidents resolved because all their alerts resolved");
        deleted = counter(registry, "deleted", "Resolved incidents deleted past correlation.retention (tombstoned)");
        orphanResolutions = Counter.builder("runstream_correlation_resolved_alerts_without_incident")
                .description("Resolved alerts that matched no open incident (ignored)").register(registry);
        orphanResults = Counter.builder("runstream_correlation_results_without_incident")
                .description("Action results for an incident that is no longer current under its key (ignored)")
                .register(registry);
        orphanImpact = Counter.builder("runstream_correlation_impact_without_incident")
                .description("Impact changes measured for a key with no live incident (ignored: impact opens none)")
                .register(registry);
    }

    void resultWithoutIncident() {
        orphanResults.increment();
    }

    void impactWithoutIncident() {
        orphanImpact.increment();
    }

    private static Counter counter(MeterRegistry registry, String outcome, String description) {
        return Counter.builder("runstream_incidents").tag("transition", outcome).description(description)
                .register(registry);
    }

    void opened() {
        opened.increment();
    }

    void reopened() {
        reopened.increment();
    }

    void resolved() {
        resolved.increment();
    }

    void deleted() {
        deleted.increment();
    }

    void resolvedWithoutIncident() {
        orphanResolutions.increment();
    }
}

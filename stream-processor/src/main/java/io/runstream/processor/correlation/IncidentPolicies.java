package io.runstream.processor.correlation;

import io.runstream.processor.escalation.EscalationPolicy;
import io.runstream.processor.runbook.Runbooks;
import io.runstream.processor.severity.SeverityClassifier;

/** The configured behaviour of the incident stages: grouping, ranking, escalating, remediating. */
public record IncidentPolicies(CorrelationPolicy correlation, SeverityClassifier severities,
        EscalationPolicy escalation, Runbooks runbooks) {
}

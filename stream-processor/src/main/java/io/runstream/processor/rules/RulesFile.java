package io.runstream.processor.rules;

import java.util.List;
import java.util.Objects;

import io.runstream.processor.correlation.CorrelationPolicy;
import io.runstream.processor.dedup.DedupPolicy;
import io.runstream.processor.severity.SeverityPolicy;

/**
 * Everything in the one YAML rules file: detection rules, how detection steps through event time, and the
 * dedup, correlation and severity policies. Loaded and validated by {@link RulesFiles#load}.
 */
public record RulesFile(List<DetectionRule> rules, DedupPolicy dedup, CorrelationPolicy correlation,
        SeverityPolicy severity, EvaluationSettings evaluation) {

    public RulesFile {
        rules = List.copyOf(rules);
        Objects.requireNonNull(dedup, "dedup");
        Objects.requireNonNull(correlation, "correlation");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(evaluation, "evaluation");
    }

    /** A rules file with the default evaluation settings. */
    public RulesFile(List<DetectionRule> rules, DedupPolicy dedup, CorrelationPolicy correlation,
            SeverityPolicy severity) {
        this(rules, dedup, correlation, severity, EvaluationSettings.defaults());
    }

    /** The built-in rules: the runbooks' alerts and policies ({@code default-rules.yaml}). */
    public static RulesFile defaults() {
        return RulesFiles.load(null);
    }

    public List<DetectionRule> metricRules() {
        return rules.stream().filter(rule -> rule.kind().fromMetrics()).toList();
    }

    public List<DetectionRule> driftRules() {
        return rules.stream().filter(rule -> !rule.kind().fromMetrics()).toList();
    }
}

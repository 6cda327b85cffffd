package io.runstream.processor.rules;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One alerting rule of the rules file: what to measure ({@code kind}, over {@code range}, from the series named
 * in {@code metrics}) and its thresholds, each of which raises its own alert (named {@code name}, labelled with
 * the threshold's severity plus {@code labels}, annotated with {@code annotations}).
 *
 * @param quantile      for latency_quantile, the quantile (0.5, 0.95, 0.99); null for other kinds
 * @param metrics       metric role to metric name, the kind's defaults filled in; empty for drift kinds
 * @param errorSelector for error_ratio, label name to a regex (anchored like PromQL's {@code =~}) selecting the
 *                      error requests, default {@code status: "5.."}; empty for other kinds
 * @param selection     for gauge, increase, terminations and absent, the series read and their grouping;
 *                      {@link SeriesSelection#NONE} for other kinds
 */
public record DetectionRule(String name, RuleKind kind, Duration range, Double quantile, Map<String, String> metrics,
        Map<String, String> errorSelector, List<Threshold> thresholds, Map<String, String> labels,
        Map<String, String> annotations, SeriesSelection selection) {

    /** A rule that selects no series by label (the ratio, quantile, rate and drift kinds). */
    public DetectionRule(String name, RuleKind kind, Duration range, Double quantile, Map<String, String> metrics,
            Map<String, String> errorSelector, List<Threshold> thresholds, Map<String, String> labels,
            Map<String, String> annotations) {
        this(name, kind, range, quantile, metrics, errorSelector, thresholds, labels, annotations,
                SeriesSelection.NONE);
    }

    public DetectionRule {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(range, "range");
        metrics = Map.copyOf(metrics);
        errorSelector = Map.copyOf(errorSelector);
        thresholds = List.copyOf(thresholds);
        labels = Map.copyOf(labels);
        annotations = Map.copyOf(annotations);
        Objects.requireNonNull(selection, "selection");
        if (thresholds.isEmpty()) {
            throw new IllegalArgumentException("rule " + name + " needs at least one threshold");
        }
        if (kind == RuleKind.LATENCY_QUANTILE && (quantile == null || !(quantile > 0 && quantile < 1))) {
            throw new IllegalArgumentException("rule " + name + " needs a quantile between 0 and 1, was " + quantile);
        }
    }

    /** The metric name playing {@code role} for this rule, e.g. {@code metric("requests")}. */
    public String metric(String role) {
        String metric = metrics.get(role);
        if (metric == null) {
            throw new IllegalArgumentException("rule " + name + " (" + kind.yamlName() + ") has no metric " + role);
        }
        return metric;
    }
}

package io.runstream.processor.rules;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import org.yaml.snakeyaml.nodes.Node;

/** Reads the {@code rules:} list into {@link DetectionRule}s, reporting each problem with its position. */
final class RuleParser {

    private static final Set<String> RULE_KEYS = Set.of("name", "kind", "range", "quantile", "metrics",
            "errorSelector", "thresholds", "labels", "annotations", "selector", "aggregate", "by");
    private static final Set<String> THRESHOLD_KEYS = Set.of("severity", "above", "below", "for");
    private static final Set<String> METRIC_ONLY_KEYS = Set.of("range", "metrics");
    // Labels detection sets itself from the samples or reports; a rule overriding them would break correlation.
    private static final Set<String> RESERVED_LABELS = Set.of("alertname", "severity", "service", "namespace", "model");
    private static final Set<String> RESERVED_ANNOTATIONS = Set.of("value", "kind");
    private static final Pattern NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final Map<String, String> DEFAULT_ERROR_SELECTOR = Map.of("status", "5..");
    // kube-state-metrics' reason of a container's last termination; runbook 004: "If OOMKilled".
    private static final Map<String, String> DEFAULT_TERMINATION_SELECTOR = Map.of("reason", "OOMKilled");

    private final YamlProblems problems;
    private final Map<String, Integer> firstLineOfName = new HashMap<>();

    RuleParser(YamlProblems problems) {
        this.problems = problems;
    }

    List<DetectionRule> parse(List<Node> items) {
        List<DetectionRule> rules = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            YamlSection.of(items.get(i), "rules[" + i + "]", problems, RULE_KEYS)
                    .flatMap(this::rule)
                    .ifPresent(rules::add);
        }
        return rules;
    }

    private Optional<DetectionRule> rule(YamlSection section) {
        section.requireAll("name", "kind", "thresholds");
        Optional<String> name = section.string("name").filter(value -> validName(section, value));
        Optional<RuleKind> kind = section.string("kind").flatMap(value -> kind(section, value));
        kind.ifPresent(known -> rejectKeysNotUsedBy(section, known));
        Optional<Duration> range = section.duration("range").filter(value -> positive(section, value));
        Optional<Double> quantile = section.number("quantile").filter(value -> quantile(section, value));
        Map<String, String> metrics = kind.map(known -> metrics(section, known)).orElse(Map.of());
        Map<String, String> errorSelector = errorSelector(section);
        List<Threshold> thresholds = thresholds(section, kind);
        Map<String, String> labels = labels(section);
        Map<String, String> annotations = annotations(section);
        SeriesSelection selection = kind.isPresent() ? selection(section, kind.get(), labels) : SeriesSelection.NONE;
        // A key present but unusable has been reported; the rule is not built from a guess.
        boolean unusable = (section.has("range") && range.isEmpty()) || (section.has("quantile") && quantile.isEmpty());
        if (name.isEmpty() || kind.isEmpty() || thresholds.isEmpty() || unusable || selection == null) {
            return Optional.empty();
        }
        RuleKind known = kind.get();
        if (known == RuleKind.LATENCY_QUANTILE && quantile.isEmpty()) {
            section.problem("quantile", "required for latency_quantile (use 0.5, 0.95, 0.99)");
            return Optional.empty();
        }
        try {
            return Optional.of(new DetectionRule(name.get(), known, range.orElse(known.defaultRange()),
                    known == RuleKind.LATENCY_QUANTILE ? quantile.orElse(null) : null, metrics,
                    known == RuleKind.ERROR_RATIO ? errorSelector : Map.of(), thresholds, labels, annotations,
                    selection));
        } catch (IllegalArgumentException e) {
            problems.add(section.node(), section.path(), e.getMessage());
            return Optional.empty();
        }
    }

    private static boolean positive(YamlSection section, Duration range) {
        if (range.isZero() || range.isNegative()) {
            section.problem("range", "must be positive");
            return false;
        }
        return true;
    }

    private static boolean quantile(YamlSection section, double value) {
        if (!(value > 0 && value < 1)) {
            section.problem("quantile", value + " is not a quantile (use 0.5, 0.95, 0.99)");
            return false;
        }
        return true;
    }

    private boolean validName(YamlSection section, String name) {
        if (!NAME.matcher(name).matches()) {
            section.problem("name", "'" + name + "' is not a valid alert name (letters, digits and _, e.g. HighErrorRate)");
            return false;
        }
        int line = section.value("name").orElseThrow().getStartMark().getLine() + 1;
        Integer first = firstLineOfName.putIfAbsent(name, line);
        if (first != null) {
            section.problem("name", "duplicate rule name '" + name + "' (first at line " + first
                    + "; put several levels of one rule under its thresholds)");
            return false;
        }
        return true;
    }

    private static Optional<RuleKind> kind(YamlSection section, String value) {
        Optional<RuleKind> kind = RuleKind.fromYaml(value);
        if (kind.isEmpty()) {
            section.problem("kind", "'" + value + "' is not a rule kind (use " + RuleKind.yamlNames() + ")");
        }
        return kind;
    }

    private static void rejectKeysNotUsedBy(YamlSection section, RuleKind kind) {
        for (String key : List.of("range", "metrics", "quantile", "errorSelector", "selector", "aggregate", "by")) {
            boolean used = switch (key) {
                case "quantile" -> kind == RuleKind.LATENCY_QUANTILE;
                case "errorSelector" -> kind == RuleKind.ERROR_RATIO;
                case "selector" -> kind.selectsSeries();
                case "aggregate", "by" -> kind.groupsSeries();
                default -> METRIC_ONLY_KEYS.contains(key) && kind.fromMetrics();
            };
            if (section.has(key) && !used) {
                section.problem(key, "not used by kind " + kind.yamlName());
            }
        }
    }

    private static Map<String, String> metrics(YamlSection section, RuleKind kind) {
        Map<String, String> metrics = kind.defaultMetrics();
        section.stringMap("metrics").ifPresent(given -> given.forEach((role, metric) -> {
            if (!metrics.containsKey(role)) {
                section.problem("metrics", "unknown metric role '" + role + "' for " + kind.yamlName()
                        + " (roles: " + String.join(", ", kind.defaultMetrics().keySet()) + ")");
            } else if (!NAME.matcher(metric.replace(":", "_")).matches()) {
                section.problem("metrics", "'" + metric + "' is not a metric name");
            } else {
                metrics.put(role, metric);
            }
        }));
        return metrics;
    }

    /**
     * The selector, aggregate and by of a series-selecting kind; {@link SeriesSelection#NONE} for other kinds;
     * null when a problem was reported.
     */
    private static SeriesSelection selection(YamlSection section, RuleKind kind, Map<String, String> ruleLabels) {
        if (!kind.selectsSeries()) {
            return SeriesSelection.NONE;
        }
        int before = section.problems().count();
        Map<String, String> selector = section.stringMap("selector")
                .orElse(kind == RuleKind.TERMINATIONS ? DEFAULT_TERMINATION_SELECTOR : Map.of());
        for (Map.Entry<String, String> entry : selector.entrySet()) {
            if (!NAME.matcher(entry.getKey()).matches()) {
                section.problem("selector", "'" + entry.getKey() + "' is not a label name");
            }
            try {
                Pattern.compile(entry.getValue());
            } catch (PatternSyntaxException e) {
                section.problem("selector", "'" + entry.getValue() + "' for label " + entry.getKey()
                        + " is not a regular expression: " + e.getDescription());
            }
        }
        if (kind == RuleKind.TERMINATIONS && selector.isEmpty()) {
            section.problem("selector", "terminations needs the reason to select, e.g. {reason: OOMKilled}");
        }
        Aggregation aggregate = Aggregation.MAX;
        if (section.has("aggregate")) {
            Optional<String> given = section.string("aggregate");
            Optional<Aggregation> known = given.flatMap(Aggregation::fromYaml);
            if (given.isPresent() && known.isEmpty()) {
                section.problem("aggregate", "'" + given.get() + "' is not an aggregation (use max, min, sum)");
            }
            aggregate = known.orElse(Aggregation.MAX);
        }
        Map<String, String> by = section.stringMap("by").orElse(Map.of());
        by.forEach((alertLabel, seriesLabel) -> {
            if (RESERVED_LABELS.contains(alertLabel) && !alertLabel.equals("model")) {
                section.problem("by", "label '" + alertLabel + "' is set by detection and cannot be overridden");
            } else if (!NAME.matcher(alertLabel).matches() || alertLabel.startsWith("__")) {
                section.problem("by", "'" + alertLabel + "' is not a label name");
            } else if (ruleLabels.containsKey(alertLabel)) {
                section.problem("by", "label '" + alertLabel + "' is also one of the rule's labels");
            }
            if (!NAME.matcher(seriesLabel).matches()) {
                section.problem("by", "'" + seriesLabel + "' (for " + alertLabel + ") is not a series label name");
            }
        });
        return section.problems().count() > before ? null : new SeriesSelection(selector, aggregate, by);
    }

    private static Map<String, String> errorSelector(YamlSection section) {
        Map<String, String> selector = section.stringMap("errorSelector").orElse(DEFAULT_ERROR_SELECTOR);
        for (Map.Entry<String, String> entry : selector.entrySet()) {
            try {
                Pattern.compile(entry.getValue());
            } catch (PatternSyntaxException e) {
                section.problem("errorSelector", "'" + entry.getValue() + "' for label " + entry.getKey()
                        + " is not a regular expression: " + e.getDescription());
            }
        }
        if (section.has("errorSelector") && selector.isEmpty()) {
            section.problem("errorSelector", "must select at least one label");
        }
        return selector;
    }

    private List<Threshold> thresholds(YamlSection section, Optional<RuleKind> kind) {
        List<Node> items = section.list("thresholds").orElse(List.of());
        if (section.has("thresholds") && items.isEmpty() && section.value("thresholds").isPresent()) {
            section.problem("thresholds", "must list at least one threshold");
        }
        List<Threshold> thresholds = new ArrayList<>();
        Map<String, Integer> severities = new LinkedHashMap<>();
        for (int i = 0; i < items.size(); i++) {
            int index = i;
            YamlSection.of(items.get(i), section.childPath("thresholds") + "[" + i + "]", problems, THRESHOLD_KEYS)
                    .flatMap(threshold -> threshold(threshold, kind))
                    .ifPresent(threshold -> {
                        if (severities.putIfAbsent(threshold.severity(), index) != null) {
                            problems.add(items.get(index), section.childPath("thresholds") + "[" + index + "]",
                                    "severity '" + threshold.severity() + "' appears twice; each threshold needs its own");
                        } else {
                            thresholds.add(threshold);
                        }
                    });
        }
        return thresholds;
    }

    private static Optional<Threshold> threshold(YamlSection section, Optional<RuleKind> kind) {
        section.requireAll("severity");
        if (section.has("above") == section.has("below")) {
            section.problem(section.has("above") ? "below" : "above", "give exactly one of above: or below:");
        }
        Comparison comparison = section.has("below") ? Comparison.BELOW : Comparison.ABOVE;
        String key = comparison == Comparison.BELOW ? "below" : "above";
        if (kind.orElse(null) == RuleKind.ABSENT && comparison == Comparison.BELOW) {
            section.problem("below", "absent is 1 while nothing arrives: use above: 0");
            return Optional.empty();
        }
        Optional<Double> value = section.number(key);
        value.filter(number -> kind.isPresent() && !kind.get().acceptsThreshold(number))
                .ifPresent(number -> section.problem(key, number + " is out of range for " + kind.get().yamlName()
                        + " (" + kind.get().thresholdRange() + ")"));
        Optional<String> severity = section.string("severity");
        Duration holdFor = section.has("for") ? section.duration("for").orElse(null) : Duration.ZERO;
        if (holdFor != null && holdFor.isNegative()) {
            section.problem("for", "must not be negative");
            holdFor = null;
        }
        boolean inRange = value.isPresent() && kind.map(known -> known.acceptsThreshold(value.get())).orElse(true);
        if (severity.isEmpty() || !inRange || holdFor == null || section.has("above") == section.has("below")) {
            return Optional.empty();
        }
        return Optional.of(new Threshold(severity.get(), comparison, value.get(), holdFor));
    }

    private static Map<String, String> labels(YamlSection section) {
        Map<String, String> labels = section.stringMap("labels").orElse(Map.of());
        for (String label : labels.keySet()) {
            if (RESERVED_LABELS.contains(label)) {
                section.problem("labels", "label '" + label + "' is set by detection and cannot be overridden");
            } else if (!NAME.matcher(label).matches() || label.startsWith("__")) {
                section.problem("labels", "'" + label + "' is not a label name");
            }
        }
        return labels;
    }

    private static Map<String, String> annotations(YamlSection section) {
        Map<String, String> annotations = section.stringMap("annotations").orElse(Map.of());
        for (String annotation : annotations.keySet()) {
            if (RESERVED_ANNOTATIONS.contains(annotation)) {
                section.problem("annotations", "annotation '" + annotation + "' is set by detection");
            }
        }
        return annotations;
    }
}

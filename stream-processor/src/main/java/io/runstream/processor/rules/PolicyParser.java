package io.runstream.processor.rules;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

import org.yaml.snakeyaml.nodes.Node;

import io.runstream.avro.Severity;
import io.runstream.processor.correlation.CorrelationPolicy;
import io.runstream.processor.dedup.DedupPolicy;
import io.runstream.processor.severity.ImpactThreshold;
import io.runstream.processor.severity.SeverityPolicy;

/**
 * Reads the rules file's policy sections ({@code evaluation}, {@code dedup}, {@code correlation},
 * {@code severity}). A missing section, or a missing key in one, takes the policy's default; the policy
 * records' own validation is reported at the section's position.
 */
final class PolicyParser {

    private static final Set<String> PRIORITIES = Set.of("P1", "P2", "P3", "P4");

    private PolicyParser() {
    }

    static EvaluationSettings evaluation(Optional<YamlSection> section) {
        EvaluationSettings defaults = EvaluationSettings.defaults();
        return section.map(s -> build(s, () -> new EvaluationSettings(
                s.duration("interval").orElse(defaults.interval()),
                s.duration("lateGrace").orElse(defaults.lateGrace())), defaults)).orElse(defaults);
    }

    static DedupPolicy dedup(Optional<YamlSection> section) {
        DedupPolicy defaults = DedupPolicy.defaults();
        return section.map(s -> build(s, () -> new DedupPolicy(s.duration("window").orElse(defaults.window())),
                defaults)).orElse(defaults);
    }

    static CorrelationPolicy correlation(Optional<YamlSection> section) {
        CorrelationPolicy defaults = CorrelationPolicy.defaults();
        return section.map(s -> build(s, () -> new CorrelationPolicy(
                s.stringList("groupBy").orElse(defaults.groupBy()),
                s.duration("reopenWindow").orElse(defaults.reopenWindow()),
                s.duration("retention").orElse(defaults.retention())), defaults)).orElse(defaults);
    }

    static SeverityPolicy severity(Optional<YamlSection> section) {
        SeverityPolicy defaults = SeverityPolicy.defaults();
        return section.map(s -> build(s, () -> new SeverityPolicy(
                s.string("fallback").flatMap(value -> priority(s, "fallback", value)).orElse(defaults.fallback()),
                byAlertSeverity(s).orElse(defaults.byAlertSeverity()),
                errorRate(s).orElse(defaults.errorRate()),
                Set.copyOf(s.stringList("criticalServices").orElse(List.copyOf(defaults.criticalServices())))),
                defaults)).orElse(defaults);
    }

    private static Optional<Map<String, Severity>> byAlertSeverity(YamlSection section) {
        return section.stringMap("byAlertSeverity").map(given -> {
            Map<String, Severity> result = new LinkedHashMap<>();
            given.forEach((label, value) -> priority(section, "byAlertSeverity", value)
                    .ifPresent(priority -> result.put(label, priority)));
            return result;
        });
    }

    private static Optional<List<ImpactThreshold>> errorRate(YamlSection section) {
        return section.list("errorRate").map(items -> {
            List<ImpactThreshold> result = new ArrayList<>();
            for (int i = 0; i < items.size(); i++) {
                Node item = items.get(i);
                YamlSection.of(item, section.childPath("errorRate") + "[" + i + "]", section.problems(),
                        Set.of("above", "severity")).ifPresent(threshold -> {
                            threshold.requireAll("above", "severity");
                            Optional<Double> above = threshold.number("above");
                            above.filter(value -> !(value >= 0 && value <= 1)).ifPresent(value ->
                                    threshold.problem("above", value + " is not a ratio in 0..1 (0.10 is 10 %)"));
                            Optional<Severity> priority = threshold.string("severity")
                                    .flatMap(value -> priority(threshold, "severity", value));
                            if (above.isPresent() && above.get() >= 0 && above.get() <= 1 && priority.isPresent()) {
                                result.add(new ImpactThreshold(above.get(), priority.get()));
                            }
                        });
            }
            return result;
        });
    }

    private static Optional<Severity> priority(YamlSection section, String key, String value) {
        if (PRIORITIES.contains(value)) {
            return Optional.of(Severity.valueOf(value));
        }
        section.problem(key, "'" + value + "' is not a priority (use P1, P2, P3, P4)");
        return Optional.empty();
    }

    /** Builds the policy; its constructor's own validation becomes a problem at the section instead of a throw. */
    private static <T> T build(YamlSection section, Supplier<T> constructor, T fallback) {
        try {
            return constructor.get();
        } catch (IllegalArgumentException | NullPointerException e) {
            section.problems().add(section.node(), section.path(), e.getMessage());
            return fallback;
        }
    }
}

package io.runstream.processor.detection;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import io.runstream.processor.rules.Comparison;
import io.runstream.processor.rules.DetectionRule;
import io.runstream.processor.rules.RuleKind;
import io.runstream.processor.rules.Threshold;

/**
 * A detection rule with what evaluation needs precompiled: the error selector's and series selector's patterns
 * and the range in ms.
 */
record CompiledRule(DetectionRule rule, Map<String, Pattern> errorSelector, Map<String, Pattern> seriesSelector,
        long rangeMillis) {

    static CompiledRule of(DetectionRule rule) {
        return new CompiledRule(rule, patterns(rule.errorSelector()), patterns(rule.selection().selector()),
                rule.range().toMillis());
    }

    private static Map<String, Pattern> patterns(Map<String, String> regexes) {
        Map<String, Pattern> patterns = new LinkedHashMap<>();
        regexes.forEach((label, regex) -> patterns.put(label, Pattern.compile(regex)));
        return patterns;
    }

    /** A rule of {@code kind} with the built-in metric names and range, for measures no configured rule covers. */
    static CompiledRule builtIn(RuleKind kind, Double quantile) {
        return of(new DetectionRule(kind.yamlName(), kind, kind.defaultRange(), quantile, kind.defaultMetrics(),
                kind == RuleKind.ERROR_RATIO ? Map.of("status", "5..") : Map.of(),
                List.of(new Threshold("none", Comparison.ABOVE, 0, java.time.Duration.ZERO)), Map.of(), Map.of()));
    }

    /** True when the series is one of the error requests: every selector label matches (anchored, like =~). */
    boolean selectsError(Series series) {
        return matchesAll(errorSelector, series);
    }

    /** True when the series matches the rule's {@code selector:} (every label, anchored like =~). */
    boolean selects(Series series) {
        return matchesAll(seriesSelector, series);
    }

    private static boolean matchesAll(Map<String, Pattern> matchers, Series series) {
        for (Map.Entry<String, Pattern> entry : matchers.entrySet()) {
            if (!entry.getValue().matcher(series.label(entry.getKey())).matches()) {
                return false;
            }
        }
        return true;
    }

    String metric(String role) {
        return rule.metric(role);
    }
}

package io.runstream.processor.detection;

import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;

import io.runstream.processor.rules.RuleKind;

/**
 * One service's evaluation at one step. Remembers what it computed, so the health snapshot reuses the rules'
 * measures and the buckets summed for one quantile serve the others, instead of computing rates twice.
 */
final class Evaluation {

    private final ServiceWindow window;
    private final long time;
    private final Map<CompiledRule, Double> values = new IdentityHashMap<>();
    private final Map<String, double[][]> bucketRates = new HashMap<>();

    Evaluation(ServiceWindow window, long time) {
        this.window = window;
        this.time = time;
    }

    long time() {
        return time;
    }

    ServiceWindow window() {
        return window;
    }

    /** The rule's measured value at this step, NaN for no result. */
    double value(CompiledRule rule) {
        Double known = values.get(rule);
        if (known == null) {
            known = rule.rule().kind() == RuleKind.LATENCY_QUANTILE ? quantile(rule, rule.rule().quantile())
                    : MetricEvaluator.value(rule, window, time);
            values.put(rule, known);
        }
        return known;
    }

    /**
     * The rule's value per group of its {@code by:} labels (group key: {@link Series#labelsKey} of the alert
     * labels, "" for a rule without {@code by:}); a rule that selects no series by label has its one value in
     * group "", NaN for no result.
     */
    Map<String, Double> groups(CompiledRule rule) {
        return rule.rule().kind().selectsSeries() ? SeriesGroups.evaluate(rule, window, time)
                : Map.of("", value(rule));
    }

    /** histogram_quantile(q, sum by (le) (rate(buckets[range]))) with the rule's bucket metric and range. */
    double quantile(CompiledRule rule, double q) {
        double[][] buckets = bucketRates.computeIfAbsent(rule.metric("buckets") + "/" + rule.rangeMillis(),
                key -> MetricEvaluator.bucketRates(rule, window, time));
        return buckets == null ? Double.NaN : PromQl.histogramQuantile(q, buckets[0], buckets[1]);
    }
}

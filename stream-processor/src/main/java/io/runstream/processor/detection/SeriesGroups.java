package io.runstream.processor.detection;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

import io.runstream.processor.rules.Aggregation;
import io.runstream.processor.rules.SeriesSelection;

/**
 * The series-selecting kinds (gauge, increase, terminations, absent) evaluated as their PromQL would be, per group
 * of the rule's {@code by:} labels: group key ({@link Series#labelsKey} of the alert labels) to value. A group
 * appears only where PromQL would return a result for it; no group at all is an empty result.
 */
final class SeriesGroups {

    /** Prometheus' default lookback delta: how far back an instant vector finds a gauge's last sample. */
    static final long LOOKBACK_MILLIS = 5 * 60_000;

    private SeriesGroups() {
    }

    static Map<String, Double> evaluate(CompiledRule rule, ServiceWindow window, long time) {
        return switch (rule.rule().kind()) {
            case GAUGE -> gauge(rule, window, time);
            case INCREASE -> increase(rule, window, time);
            case TERMINATIONS -> terminations(rule, window, time);
            case ABSENT -> absent(rule, window, time);
            default -> throw new IllegalArgumentException(rule.rule().kind() + " does not select series");
        };
    }

    /** aggregate by (by) (series{selector}): each series' last sample within the range (the lookback). */
    static Map<String, Double> gauge(CompiledRule rule, ServiceWindow window, long time) {
        Map<String, Double> groups = new TreeMap<>();
        for (Series series : window.series(rule.metric("series"))) {
            if (rule.selects(series)) {
                add(rule, groups, series, PromQl.lastValue(series.samples(), time, rule.rangeMillis()));
            }
        }
        return groups;
    }

    /** aggregate by (by) (increase(counter{selector}[range])). */
    static Map<String, Double> increase(CompiledRule rule, ServiceWindow window, long time) {
        Map<String, Double> groups = new TreeMap<>();
        for (Series series : window.series(rule.metric("counter"))) {
            if (rule.selects(series)) {
                add(rule, groups, series, PromQl.increase(series.samples(), time, rule.rangeMillis()));
            }
        }
        return groups;
    }

    /**
     * aggregate by (by) (increase(restarts[range]) and ignoring(selector labels) (reason{selector} == 1)): the
     * restarts of the containers whose last termination had the selected reason. kube-state-metrics gives both
     * series the same labels but {@code reason}, which is how they are matched.
     */
    static Map<String, Double> terminations(CompiledRule rule, ServiceWindow window, long time) {
        Map<String, Double> groups = new TreeMap<>();
        for (Series reason : window.series(rule.metric("reason"))) {
            if (!rule.selects(reason) || PromQl.lastValue(reason.samples(), time, LOOKBACK_MILLIS) != 1) {
                continue;
            }
            Map<String, String> labels = new HashMap<>(reason.labels());
            labels.keySet().removeAll(rule.seriesSelector().keySet());
            Series restarts = window.matching(rule.metric("restarts"), Series.labelsKey(labels));
            if (restarts != null) {
                add(rule, groups, restarts, PromQl.increase(restarts.samples(), time, rule.rangeMillis()));
            }
        }
        return groups;
    }

    /**
     * absent_over_time(series{selector}[range]) for a service that has sent the series: 1 (in the one group of
     * the service) when no matching series has a sample in the range, no result otherwise.
     */
    static Map<String, Double> absent(CompiledRule rule, ServiceWindow window, long time) {
        String metric = rule.metric("series");
        if (!window.state().hasSent(metric)) {
            return Map.of();
        }
        for (Series series : window.series(metric)) {
            if (rule.selects(series) && hasSampleIn(series, time - rule.rangeMillis(), time)) {
                return Map.of();
            }
        }
        return Map.of("", 1.0);
    }

    private static boolean hasSampleIn(Series series, long fromExclusive, long toInclusive) {
        int last = series.samples().firstIndexAfter(toInclusive) - 1;
        return last >= 0 && series.samples().time(last) > fromExclusive;
    }

    private static void add(CompiledRule rule, Map<String, Double> groups, Series series, double value) {
        if (Double.isNaN(value)) {
            return;
        }
        SeriesSelection selection = rule.rule().selection();
        Aggregation aggregate = selection.aggregate();
        groups.merge(groupKey(selection, series), value, aggregate::combine);
    }

    /** The alert labels of the series' group; a series without one of the labels has none (PromQL's empty value). */
    private static String groupKey(SeriesSelection selection, Series series) {
        if (selection.by().isEmpty()) {
            return "";
        }
        Map<String, String> labels = new HashMap<>();
        selection.by().forEach((alertLabel, seriesLabel) -> {
            String value = series.label(seriesLabel);
            if (!value.isEmpty()) {
                labels.put(alertLabel, value);
            }
        });
        return Series.labelsKey(labels);
    }
}

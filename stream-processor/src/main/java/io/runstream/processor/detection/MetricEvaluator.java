package io.runstream.processor.detection;

import java.util.Map;
import java.util.TreeMap;

/**
 * Evaluates one metric rule over a service's window at an evaluation time, as the rule's PromQL would over
 * the service's series. Returns NaN when PromQL would return no result (too few samples, no matching series,
 * a zero denominator), which never satisfies a threshold.
 */
final class MetricEvaluator {

    private MetricEvaluator() {
    }

    static double value(CompiledRule rule, ServiceWindow window, long time) {
        return switch (rule.rule().kind()) {
            case ERROR_RATIO -> errorRatio(rule, window, time);
            case LATENCY_QUANTILE -> latencyQuantile(rule, rule.rule().quantile(), window, time);
            case MEMORY_RATIO -> gaugeRatio(window, rule.metric("usage"), rule.metric("limit"), time,
                    rule.rangeMillis(), false);
            case DISK_RATIO -> gaugeRatio(window, rule.metric("free"), rule.metric("size"), time,
                    rule.rangeMillis(), true);
            case CPU_RATIO -> cpuRatio(rule, window, time);
            case RESTART_RATE -> maxRate(window, rule.metric("restarts"), time, rule.rangeMillis());
            // Evaluated per group of series by SeriesGroups; drift kinds read drift-scores.
            case GAUGE, INCREASE, TERMINATIONS, ABSENT, DRIFT_SHARE, ACCURACY_DROP -> Double.NaN;
        };
    }

    /** sum(rate(requests{selector}[range])) / sum(rate(requests[range])). */
    static double errorRatio(CompiledRule rule, ServiceWindow window, long time) {
        double errors = 0;
        double total = 0;
        boolean anyErrors = false;
        boolean anyTotal = false;
        for (Series series : window.series(rule.metric("requests"))) {
            double rate = PromQl.rate(series.samples(), time, rule.rangeMillis());
            if (Double.isNaN(rate)) {
                continue;
            }
            total += rate;
            anyTotal = true;
            if (rule.selectsError(series)) {
                errors += rate;
                anyErrors = true;
            }
        }
        // sum() over no series is no result in PromQL, and so is the division by it.
        if (!anyErrors || !anyTotal || total == 0) {
            return Double.NaN;
        }
        return errors / total;
    }

    /** histogram_quantile(q, sum by (le) (rate(buckets[range]))). */
    static double latencyQuantile(CompiledRule rule, double quantile, ServiceWindow window, long time) {
        double[][] buckets = bucketRates(rule, window, time);
        return buckets == null ? Double.NaN : PromQl.histogramQuantile(quantile, buckets[0], buckets[1]);
    }

    /**
     * sum by (le) (rate(buckets[range])) as {upper bounds ascending, rates}, or null when no bucket has a rate;
     * computed once to read several quantiles from.
     */
    static double[][] bucketRates(CompiledRule rule, ServiceWindow window, long time) {
        Map<Double, Double> byUpperBound = new TreeMap<>();
        for (Series series : window.series(rule.metric("buckets"))) {
            double upperBound = series.upperBound();
            if (Double.isNaN(upperBound)) {
                continue;
            }
            double rate = PromQl.rate(series.samples(), time, rule.rangeMillis());
            if (!Double.isNaN(rate)) {
                byUpperBound.merge(upperBound, rate, Double::sum);
            }
        }
        if (byUpperBound.isEmpty()) {
            return null;
        }
        double[] upperBounds = new double[byUpperBound.size()];
        double[] counts = new double[byUpperBound.size()];
        int i = 0;
        for (Map.Entry<Double, Double> bucket : byUpperBound.entrySet()) {
            upperBounds[i] = bucket.getKey();
            counts[i++] = bucket.getValue();
        }
        return new double[][] {upperBounds, counts};
    }

    /**
     * max over label sets of numerator / denominator (or (denominator - numerator) / denominator when
     * {@code complement}, for disk's size - free), matching series with identical labels as PromQL's
     * one-to-one matching does. A denominator of zero means "no limit set" (cAdvisor reports unlimited
     * containers as 0) and is skipped rather than read as an infinite ratio.
     */
    static double gaugeRatio(ServiceWindow window, String numeratorMetric, String denominatorMetric, long time,
            long lookbackMillis, boolean complement) {
        double max = Double.NaN;
        for (Series numerator : window.series(numeratorMetric)) {
            Series denominator = window.matching(denominatorMetric, numerator.labelsKey());
            if (denominator == null) {
                continue;
            }
            double top = PromQl.lastValue(numerator.samples(), time, lookbackMillis);
            double bottom = PromQl.lastValue(denominator.samples(), time, lookbackMillis);
            if (Double.isNaN(top) || Double.isNaN(bottom) || bottom <= 0) {
                continue;
            }
            double ratio = complement ? (bottom - top) / bottom : top / bottom;
            max = Double.isNaN(max) ? ratio : Math.max(max, ratio);
        }
        return max;
    }

    /** max of rate(usage[range]) / (quota / period): CPU seconds per second over the limit in cores. */
    static double cpuRatio(CompiledRule rule, ServiceWindow window, long time) {
        double max = Double.NaN;
        for (Series usage : window.series(rule.metric("usage"))) {
            Series quota = window.matching(rule.metric("quota"), usage.labelsKey());
            Series period = window.matching(rule.metric("period"), usage.labelsKey());
            if (quota == null || period == null) {
                continue;
            }
            double rate = PromQl.rate(usage.samples(), time, rule.rangeMillis());
            double cores = PromQl.lastValue(quota.samples(), time, rule.rangeMillis())
                    / PromQl.lastValue(period.samples(), time, rule.rangeMillis());
            // A quota of -1 is cAdvisor's "no limit".
            if (Double.isNaN(rate) || !(cores > 0) || Double.isInfinite(cores)) {
                continue;
            }
            max = Double.isNaN(max) ? rate / cores : Math.max(max, rate / cores);
        }
        return max;
    }

    /** max over series of rate(metric[range]). */
    static double maxRate(ServiceWindow window, String metric, long time, long rangeMillis) {
        double max = Double.NaN;
        for (Series series : window.series(metric)) {
            double rate = PromQl.rate(series.samples(), time, rangeMillis);
            if (!Double.isNaN(rate)) {
                max = Double.isNaN(max) ? rate : Math.max(max, rate);
            }
        }
        return max;
    }
}

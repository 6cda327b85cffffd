package io.runstream.processor.detection;

import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The recent samples of one service, by metric name and label set, plus its evaluation state: the working set
 * detection evaluates rules over. Held in memory by the task that owns the service and rebuilt from the
 * samples store after a restart or rebalance; bounded by pruning everything older than the longest range.
 */
final class ServiceWindow {

    private final Map<String, Map<String, Series>> byMetric = new HashMap<>();
    private final EvaluationState state;
    private long maxTimestamp = Long.MIN_VALUE;

    ServiceWindow(EvaluationState state) {
        this.state = state;
    }

    EvaluationState state() {
        return state;
    }

    /** The series with these labels, created on first use. */
    Series series(String metric, String labelsKey, Map<String, String> labels) {
        Map<String, Series> series = byMetric.computeIfAbsent(metric, name -> new HashMap<>());
        Series found = series.get(labelsKey);
        if (found == null) {
            found = new Series(metric, labelsKey, labels);
            series.put(labelsKey, found);
        }
        return found;
    }

    Collection<Series> series(String metric) {
        Map<String, Series> series = byMetric.get(metric);
        return series == null ? List.of() : series.values();
    }

    /** The series of {@code metric} with exactly this label set (PromQL's one-to-one matching), or null. */
    Series matching(String metric, String labelsKey) {
        Map<String, Series> series = byMetric.get(metric);
        return series == null ? null : series.get(labelsKey);
    }

    long maxTimestamp() {
        return maxTimestamp;
    }

    void observed(long timestamp) {
        maxTimestamp = Math.max(maxTimestamp, timestamp);
    }

    /** Earliest sample held, {@link Long#MAX_VALUE} when none. */
    long earliestTimestamp() {
        long earliest = Long.MAX_VALUE;
        for (Map<String, Series> series : byMetric.values()) {
            for (Series one : series.values()) {
                if (!one.samples().isEmpty()) {
                    earliest = Math.min(earliest, one.samples().firstTime());
                }
            }
        }
        return earliest;
    }

    /** Drops samples at or before {@code horizon}, and series left empty; {@code removed} hears of each sample. */
    void prune(long horizon, RemovedSample removed) {
        for (Iterator<Map<String, Series>> metrics = byMetric.values().iterator(); metrics.hasNext(); ) {
            Map<String, Series> series = metrics.next();
            for (Iterator<Series> it = series.values().iterator(); it.hasNext(); ) {
                Series one = it.next();
                one.samples().dropUpTo(horizon, time -> removed.removed(one, time));
                if (one.samples().isEmpty()) {
                    it.remove();
                }
            }
            if (series.isEmpty()) {
                metrics.remove();
            }
        }
    }

    /** Told of every sample pruning removes, so the store can forget it too. */
    @FunctionalInterface
    interface RemovedSample {
        void removed(Series series, long time);
    }
}

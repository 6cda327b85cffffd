package io.runstream.processor.detection;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;
import java.util.function.ToLongFunction;

/**
 * The recent samples of one service, by metric name and label set, plus its evaluation state: the working set
 * detection evaluates rules over. Held in memory by the task that owns the service and rebuilt from the
 * samples store after a restart or rebalance; bounded by pruning everything older than the longest range.
 */
final class ServiceWindow {

    private final Map<String, Map<String, Series>> byMetric = new HashMap<>();
    private final EvaluationState state;
    private final byte[] keyPrefix;
    private long maxTimestamp = Long.MIN_VALUE;
    private long lastArrival = Long.MIN_VALUE;
    private int nextSeriesId;
    private final PendingSamples pending = new PendingSamples();
    /** Stored segments, oldest first: sequence and newest sample time. */
    private final Deque<long[]> segments = new ArrayDeque<>();
    private long nextSegment;

    ServiceWindow(EvaluationState state, byte[] keyPrefix) {
        this.state = state;
        this.keyPrefix = keyPrefix;
    }

    /** The prefix of the service's keys in the samples store, computed once per service. */
    byte[] keyPrefix() {
        return keyPrefix;
    }

    EvaluationState state() {
        return state;
    }

    /** A new series with the next free id. */
    Series create(String metric, String labelsKey, Map<String, String> labels) {
        return restore(nextSeriesId, metric, labelsKey, labels);
    }

    /** A series read back from the store, with the id it was stored under. */
    Series restore(int id, String metric, String labelsKey, Map<String, String> labels) {
        Series series = new Series(id, metric, labelsKey, labels);
        byMetric.computeIfAbsent(metric, name -> new HashMap<>()).put(labelsKey, series);
        nextSeriesId = Math.max(nextSeriesId, id + 1);
        return series;
    }

    /** Samples accepted since the last flush to the store. */
    PendingSamples pending() {
        return pending;
    }

    /** Records that the pending samples were stored as a segment; returns its sequence number. */
    long segmentWritten() {
        long sequence = nextSegment++;
        segments.addLast(new long[] {sequence, pending.maxTime()});
        pending.clear();
        return sequence;
    }

    void restoredSegment(long sequence, long maxTime) {
        segments.addLast(new long[] {sequence, maxTime});
        nextSegment = Math.max(nextSegment, sequence + 1);
    }

    /** Forgets the segments whose samples are all at or before {@code horizon}, telling {@code removed}. */
    void dropSegmentsUpTo(long horizon, LongConsumer removed) {
        // Segments are mostly in time order; one holding a late sample may linger until the next ones go.
        while (!segments.isEmpty() && segments.peekFirst()[1] <= horizon) {
            removed.accept(segments.removeFirst()[0]);
        }
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

    /** Wall-clock time when the service's latest sample arrived (or when this task took the service over). */
    long lastArrival() {
        return lastArrival;
    }

    void arrived(long wallClockTime) {
        lastArrival = wallClockTime;
    }

    /** True when no series is held (all pruned, or none seen). */
    boolean isEmpty() {
        return byMetric.isEmpty();
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

    /**
     * Drops the samples no range evaluated at {@code next} or later reaches (at or before {@code next} minus the
     * longest range their metric is read over), and series left empty, telling {@code listener} of those.
     */
    void prune(long next, ToLongFunction<String> rangeOfMetric, PruneListener listener) {
        for (Iterator<Map.Entry<String, Map<String, Series>>> metrics = byMetric.entrySet().iterator();
                metrics.hasNext(); ) {
            Map.Entry<String, Map<String, Series>> entry = metrics.next();
            long horizon = next - rangeOfMetric.applyAsLong(entry.getKey());
            Map<String, Series> series = entry.getValue();
            for (Iterator<Series> it = series.values().iterator(); it.hasNext(); ) {
                Series one = it.next();
                one.samples().dropUpTo(horizon);
                if (one.samples().isEmpty()) {
                    it.remove();
                    listener.seriesRemoved(one);
                }
            }
            if (series.isEmpty()) {
                metrics.remove();
            }
        }
    }

    /** Told of every series pruning empties and removes, so the store can forget it too. */
    @FunctionalInterface
    interface PruneListener {
        void seriesRemoved(Series series);
    }
}

package io.runstream.processor.detection;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToLongFunction;

import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The windows of the services one task owns: kept in memory, loaded from the stores on first use after the
 * task starts, and written back. Samples go to the store in segments, at each evaluation and each commit
 * interval ({@link #flushAll()}), rather than one write per sample.
 */
final class ServiceWindows {

    private final SampleStore samples;
    private final KeyValueStore<String, EvaluationState> states;
    private final Map<String, ServiceWindow> windows = new HashMap<>();
    /** Services with samples not yet written to the store. */
    private final Set<String> unflushed = new HashSet<>();

    ServiceWindows(SampleStore samples, KeyValueStore<String, EvaluationState> states) {
        this.samples = samples;
        this.states = states;
    }

    /** The service's window, read back from the stores if it is not in memory; {@code now} is the wall clock. */
    ServiceWindow get(String service, long now) {
        ServiceWindow window = windows.get(service);
        if (window == null) {
            EvaluationState state = states.get(service);
            window = new ServiceWindow(state == null ? EvaluationState.empty() : state, SampleStore.prefix(service));
            samples.load(window);
            // Silence is counted from when the task took the service over, not from its last stored sample.
            window.arrived(now);
            windows.put(service, window);
        }
        return window;
    }

    /** Services in memory, as a copy that may be iterated while windows are forgotten. */
    Collection<String> inMemory() {
        return List.copyOf(windows.keySet());
    }

    void accepted(String service, ServiceWindow window, Series series, long time, double value) {
        if (window.pending().isEmpty()) {
            unflushed.add(service);
        }
        series.samples().add(time, value);
        window.pending().add(series.id(), time, value);
    }

    Series newSeries(ServiceWindow window, String metric, String labelsKey, Map<String, String> labels) {
        Series series = window.create(metric, labelsKey, labels);
        samples.putSeries(window.keyPrefix(), series);
        return series;
    }

    /**
     * Drops what no evaluation from {@code next} on can reach: per metric, what lies beyond its longest range;
     * stored segments (which mix metrics) once beyond the longest range of all.
     */
    void prune(ServiceWindow window, long next, ToLongFunction<String> rangeOfMetric, long longestRange) {
        window.prune(next, rangeOfMetric, series -> samples.deleteSeries(window.keyPrefix(), series));
        window.dropSegmentsUpTo(next - longestRange, sequence -> samples.deleteSegment(window.keyPrefix(), sequence));
    }

    /** Writes the window's pending samples and its evaluation state. */
    void save(String service, ServiceWindow window) {
        flush(window);
        unflushed.remove(service);
        states.put(service, window.state());
    }

    void forget(String service) {
        ServiceWindow window = windows.remove(service);
        if (window != null) {
            flush(window);
        }
        unflushed.remove(service);
    }

    void flushAll() {
        for (String service : unflushed) {
            ServiceWindow window = windows.get(service);
            if (window != null) {
                flush(window);
            }
        }
        unflushed.clear();
    }

    private void flush(ServiceWindow window) {
        if (!window.pending().isEmpty()) {
            byte[] segment = window.pending().encode();
            samples.putSegment(window.keyPrefix(), window.segmentWritten(), segment);
        }
    }
}

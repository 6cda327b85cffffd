package io.runstream.processor.detection;

import java.util.Arrays;
import java.util.Map;

/** One time series of a service: metric name, its labels (as PromQL sees them, without __name__) and samples. */
final class Series {

    // Separators that do not occur in label names and, in practice, not in label values either; the key only
    // identifies series in memory (the store keeps labels in SeriesDefinition), so a rare clash costs nothing.
    private static final char PAIR = '\u0001';
    private static final char EQUALS = '\u0002';

    private final int id;
    private final String metric;
    private final String labelsKey;
    private final Map<String, String> labels;
    private final SampleBuffer samples = new SampleBuffer();
    private double upperBound = Double.NaN;
    private boolean upperBoundParsed;

    /**
     * @param id the series' number within its service, which keys its samples in the store (shorter than the
     *           labels, and cheaper to compare on every write)
     */
    Series(int id, String metric, String labelsKey, Map<String, String> labels) {
        this.id = id;
        this.metric = metric;
        this.labelsKey = labelsKey;
        this.labels = labels;
    }

    /** The canonical form of a label set (sorted by name), equal for equal label sets: PromQL's series identity. */
    static String labelsKey(Map<String, String> labels) {
        String[] names = labels.keySet().toArray(new String[0]);
        Arrays.sort(names);
        StringBuilder key = new StringBuilder(names.length * 24);
        for (String name : names) {
            if (key.length() > 0) {
                key.append(PAIR);
            }
            key.append(name).append(EQUALS).append(labels.get(name));
        }
        return key.toString();
    }

    /** The label set a {@link #labelsKey} was made of. */
    static Map<String, String> labelsOf(String labelsKey) {
        Map<String, String> labels = new java.util.LinkedHashMap<>();
        if (labelsKey.isEmpty()) {
            return labels;
        }
        for (String pair : labelsKey.split(String.valueOf(PAIR), -1)) {
            int equals = pair.indexOf(EQUALS);
            labels.put(pair.substring(0, equals), pair.substring(equals + 1));
        }
        return labels;
    }

    int id() {
        return id;
    }

    String metric() {
        return metric;
    }

    String labelsKey() {
        return labelsKey;
    }

    Map<String, String> labels() {
        return labels;
    }

    /** The label's value, or "" when absent, as PromQL matchers see a missing label. */
    String label(String name) {
        return labels.getOrDefault(name, "");
    }

    SampleBuffer samples() {
        return samples;
    }

    /** A histogram bucket's {@code le} as a number (+Inf included), parsed once; NaN when it is not a number. */
    double upperBound() {
        if (!upperBoundParsed) {
            String le = label("le");
            try {
                upperBound = le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le);
            } catch (NumberFormatException e) {
                upperBound = Double.NaN;
            }
            upperBoundParsed = true;
        }
        return upperBound;
    }
}

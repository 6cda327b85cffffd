package io.runstream.processor.rules;

import java.util.Arrays;
import java.util.Optional;

/** How a rule combines the values of the series in one group: PromQL's {@code max}, {@code min} or {@code sum}. */
public enum Aggregation {
    MAX,
    MIN,
    SUM;

    public double combine(double sofar, double value) {
        if (Double.isNaN(sofar)) {
            return value;
        }
        return switch (this) {
            case MAX -> Math.max(sofar, value);
            case MIN -> Math.min(sofar, value);
            case SUM -> sofar + value;
        };
    }

    public String yamlName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    static Optional<Aggregation> fromYaml(String name) {
        return Arrays.stream(values()).filter(value -> value.yamlName().equals(name)).findFirst();
    }
}

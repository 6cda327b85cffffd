package io.runstream.processor.rules;

import java.time.Duration;
import java.util.Objects;

/**
 * One level of a rule: the alert with {@code severity} fires once the measured value has compared true with
 * {@code value} at every evaluation for {@code holdFor} (Prometheus' {@code for:}; zero fires at once).
 */
public record Threshold(String severity, Comparison comparison, double value, Duration holdFor) {

    public Threshold {
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(comparison, "comparison");
        Objects.requireNonNull(holdFor, "holdFor");
        if (holdFor.isNegative()) {
            throw new IllegalArgumentException("for must not be negative, was " + holdFor);
        }
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("threshold must be a finite number, was " + value);
        }
    }

    public boolean holds(double measured) {
        return comparison.holds(measured, value);
    }
}

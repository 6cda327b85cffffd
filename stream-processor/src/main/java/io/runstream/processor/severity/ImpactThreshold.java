package io.runstream.processor.severity;

import java.util.Objects;

import io.runstream.avro.Severity;

/** "A measured 5xx ratio above {@code above} makes the incident at least {@code severity}". */
public record ImpactThreshold(double above, Severity severity) {

    public ImpactThreshold {
        if (!(above >= 0 && above <= 1)) {
            throw new IllegalArgumentException("error-rate threshold must be a ratio in 0..1, was " + above);
        }
        Objects.requireNonNull(severity, "severity");
        if (severity == Severity.UNKNOWN) {
            throw new IllegalArgumentException("error-rate threshold severity must be one of P1..P4");
        }
    }
}

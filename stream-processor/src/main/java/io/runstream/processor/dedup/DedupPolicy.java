package io.runstream.processor.dedup;

import java.time.Duration;

/**
 * From the {@code dedup:} section of the rules file: a repeat of an alert's fingerprint with the same status
 * inside {@code window} is dropped; a change of status always passes.
 */
public record DedupPolicy(Duration window) {

    public DedupPolicy {
        if (window == null || window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("dedup.window must be positive, was " + window);
        }
    }

    /** Default: Alertmanager re-sends a firing group every repeat_interval; five minutes absorbs its retries. */
    public static DedupPolicy defaults() {
        return new DedupPolicy(Duration.ofMinutes(5));
    }
}

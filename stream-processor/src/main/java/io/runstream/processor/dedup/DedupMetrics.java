package io.runstream.processor.dedup;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** Counts what the dedup stage drops, so a flood of repeats shows on the dashboard rather than in the incidents. */
public final class DedupMetrics {

    private final Counter duplicates;

    public DedupMetrics(MeterRegistry registry) {
        this.duplicates = Counter.builder("runstream_dedup_dropped")
                .description("Alerts dropped as repeats of the same fingerprint and status inside the dedup window")
                .register(registry);
    }

    void duplicateDropped() {
        duplicates.increment();
    }
}

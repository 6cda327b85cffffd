package io.runstream.processor.dedup;

import java.time.Duration;
import java.time.Instant;

import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

import io.runstream.avro.Alert;
import io.runstream.avro.AlertStatus;

/**
 * Drops an alert whose fingerprint was last seen with the same status inside the dedup window; a change of
 * status (firing -> resolved -> firing) always passes. The window store keeps only what the window needs, so
 * state stays bounded by the alerts of the last window without a cleanup scan.
 */
final class AlertDeduplicator implements FixedKeyProcessor<String, Alert, Alert> {

    private final String storeName;
    private final Duration window;
    private final DedupMetrics metrics;
    private FixedKeyProcessorContext<String, Alert> context;
    private WindowStore<String, Alert> seen;

    AlertDeduplicator(String storeName, Duration window, DedupMetrics metrics) {
        this.storeName = storeName;
        this.window = window;
        this.metrics = metrics;
    }

    @Override
    public void init(FixedKeyProcessorContext<String, Alert> context) {
        this.context = context;
        this.seen = context.getStateStore(storeName);
    }

    @Override
    public void process(FixedKeyRecord<String, Alert> record) {
        Alert alert = record.value();
        if (record.key() == null || alert == null) {
            return;
        }
        long now = record.timestamp();
        AlertStatus lastStatus = lastStatusWithin(record.key(), now);
        if (lastStatus == alert.getStatus()) {
            metrics.duplicateDropped();
            return;
        }
        seen.put(record.key(), alert, now);
        context.forward(record);
    }

    private AlertStatus lastStatusWithin(String fingerprint, long now) {
        Instant from = Instant.ofEpochMilli(Math.max(0, now - window.toMillis()));
        AlertStatus last = null;
        long lastAt = Long.MIN_VALUE;
        try (WindowStoreIterator<Alert> entries = seen.fetch(fingerprint, from, Instant.ofEpochMilli(now))) {
            while (entries.hasNext()) {
                var entry = entries.next();
                if (entry.key >= lastAt) {
                    lastAt = entry.key;
                    last = entry.value.getStatus();
                }
            }
        }
        return last;
    }
}

package io.runstream.processor.dedup;

import java.time.Duration;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;

import io.runstream.avro.Alert;
import io.runstream.processor.StateStores;

/** Stage 2 of DESIGN.md: one alert per fingerprint and status inside the dedup window. */
public final class DedupStage {

    public static final String PROCESSOR = "dedup";
    public static final String STORE = "dedup-store";

    private DedupStage() {
    }

    /** Returns {@code alerts} without the repeats; keys (fingerprints) are unchanged. */
    public static KStream<String, Alert> apply(StreamsBuilder builder, StateStores stores,
            KStream<String, Alert> alerts, Serde<String> keySerde, Serde<Alert> alertSerde, DedupPolicy policy,
            DedupMetrics metrics) {
        Duration window = policy.window();
        // Retention must cover the window; segments older than that are dropped by the store itself.
        builder.addStateStore(stores.window(STORE, window.multipliedBy(2), window.multipliedBy(2), true,
                keySerde, alertSerde));
        return alerts.processValues(() -> new AlertDeduplicator(STORE, window, metrics), Named.as(PROCESSOR), STORE);
    }
}

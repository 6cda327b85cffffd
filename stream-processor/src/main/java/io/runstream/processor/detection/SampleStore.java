package io.runstream.processor.detection;

import java.util.Map;

import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The durable copy of every service's window: one small entry per accepted sample, keyed
 * {@code service NUL metric NUL labels NUL timestamp}, written as the sample is accepted and deleted as it is
 * pruned, so the changelog always matches what was processed (exactly-once across a crash) while reads are
 * served from memory. A service's window is read back with one prefix scan when its task is (re)assigned.
 */
final class SampleStore {

    private static final char SEPARATOR = '\0';

    private final KeyValueStore<String, Double> store;

    SampleStore(KeyValueStore<String, Double> store) {
        this.store = store;
    }

    void put(String service, Series series, long time, double value) {
        store.put(key(service, series, time), value);
    }

    void delete(String service, Series series, long time) {
        store.delete(key(service, series, time));
    }

    /** Fills {@code window} with the stored samples of {@code service}. */
    void load(String service, ServiceWindow window) {
        try (KeyValueIterator<String, Double> entries =
                     store.prefixScan(service + SEPARATOR, new StringSerializer())) {
            while (entries.hasNext()) {
                KeyValue<String, Double> entry = entries.next();
                String[] parts = entry.key.split(String.valueOf(SEPARATOR), -1);
                if (parts.length != 4 || !parts[0].equals(service)) {
                    continue;
                }
                Map<String, String> labels = Series.parseLabelsKey(parts[2]);
                long time = Long.parseLong(parts[3]);
                window.series(parts[1], parts[2], labels).samples().add(time, entry.value);
                window.observed(time);
            }
        }
    }

    private static String key(String service, Series series, long time) {
        return service + SEPARATOR + series.metric() + SEPARATOR + series.labelsKey() + SEPARATOR + time;
    }
}

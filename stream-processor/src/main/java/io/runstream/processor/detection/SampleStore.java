package io.runstream.processor.detection;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.serialization.BytesSerializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The durable copy of every service's window, written as samples are accepted and deleted as they are pruned,
 * so the changelog always matches what was processed (exactly-once across a crash) while reads are served
 * from memory. Two kinds of entries under {@code service NUL}: {@code 1 id} -> the series' metric and labels,
 * once per series; {@code 2 id timestamp} -> the value, once per sample. Numbering series keeps the per-sample
 * key short (about 14 bytes plus the service name), which is what every write pays for in comparisons and
 * changelog bytes. A service's window is read back with one prefix scan when its task is (re)assigned.
 */
final class SampleStore {

    private static final byte SERIES = 1;
    private static final byte SAMPLE = 2;
    private static final char SEPARATOR = '\0';

    private final KeyValueStore<Bytes, byte[]> store;

    SampleStore(KeyValueStore<Bytes, byte[]> store) {
        this.store = store;
    }

    void putSeries(byte[] servicePrefix, Series series) {
        byte[] definition = (series.metric() + SEPARATOR + series.labelsKey()).getBytes(StandardCharsets.UTF_8);
        store.put(seriesKey(servicePrefix, series), definition);
    }

    void deleteSeries(byte[] servicePrefix, Series series) {
        store.delete(seriesKey(servicePrefix, series));
    }

    void put(byte[] servicePrefix, Series series, long time, double value) {
        store.put(sampleKey(servicePrefix, series, time), ByteBuffer.allocate(Double.BYTES).putDouble(value).array());
    }

    void delete(byte[] servicePrefix, Series series, long time) {
        store.delete(sampleKey(servicePrefix, series, time));
    }

    /** The key prefix of a service's entries: its name and a NUL, which service names do not contain. */
    static byte[] prefix(String service) {
        return (service + SEPARATOR).getBytes(StandardCharsets.UTF_8);
    }

    /** Fills {@code window} with the stored series and samples of the service with {@code servicePrefix}. */
    void load(byte[] servicePrefix, ServiceWindow window) {
        Map<Integer, Series> series = new HashMap<>();
        List<KeyValue<Bytes, byte[]>> samples = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> entries = store.prefixScan(Bytes.wrap(servicePrefix),
                new BytesSerializer())) {
            while (entries.hasNext()) {
                KeyValue<Bytes, byte[]> entry = entries.next();
                ByteBuffer key = ByteBuffer.wrap(entry.key.get(), servicePrefix.length,
                        entry.key.get().length - servicePrefix.length);
                byte kind = key.get();
                if (kind == SERIES) {
                    int id = key.getInt();
                    String definition = new String(entry.value, StandardCharsets.UTF_8);
                    int separator = definition.indexOf(SEPARATOR);
                    String labelsKey = definition.substring(separator + 1);
                    series.put(id, window.restore(id, definition.substring(0, separator), labelsKey,
                            Series.parseLabelsKey(labelsKey)));
                } else if (kind == SAMPLE) {
                    samples.add(entry);
                }
            }
        }
        // Samples sort after their series, but a store is free to iterate in any order: attach them afterwards.
        for (KeyValue<Bytes, byte[]> entry : samples) {
            ByteBuffer key = ByteBuffer.wrap(entry.key.get(), servicePrefix.length + 1,
                    entry.key.get().length - servicePrefix.length - 1);
            Series owner = series.get(key.getInt());
            long time = key.getLong();
            if (owner != null) {
                owner.samples().add(time, ByteBuffer.wrap(entry.value).getDouble());
                window.observed(time);
            }
        }
    }

    private static Bytes seriesKey(byte[] servicePrefix, Series series) {
        return Bytes.wrap(ByteBuffer.allocate(servicePrefix.length + 1 + Integer.BYTES)
                .put(servicePrefix).put(SERIES).putInt(series.id()).array());
    }

    private static Bytes sampleKey(byte[] servicePrefix, Series series, long time) {
        return Bytes.wrap(ByteBuffer.allocate(servicePrefix.length + 1 + Integer.BYTES + Long.BYTES)
                .put(servicePrefix).put(SAMPLE).putInt(series.id()).putLong(time).array());
    }
}

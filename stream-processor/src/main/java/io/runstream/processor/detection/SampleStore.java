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
 * The durable copy of every service's window. Two kinds of entries under {@code service NUL}:
 * {@code 1 id} -> a series' metric and labels ({@link SeriesDefinition}), written once per series; {@code 2 seq} -> a segment, the
 * samples a service accepted between two writes (see {@link PendingSamples}), deleted once all its samples
 * are older than every range. Writing segments instead of samples turns one store write and one changelog
 * record per sample into one per service and flush, which is what makes 100,000 samples/s affordable.
 * A service's window is read back with one prefix scan when its task is (re)assigned.
 */
final class SampleStore {

    private static final byte SERIES = 1;
    private static final byte SEGMENT = 2;
    private static final char SEPARATOR = '\0';

    private final KeyValueStore<Bytes, byte[]> store;

    SampleStore(KeyValueStore<Bytes, byte[]> store) {
        this.store = store;
    }

    /** The key prefix of a service's entries: its name and a NUL, which service names do not contain. */
    static byte[] prefix(String service) {
        return (service + SEPARATOR).getBytes(StandardCharsets.UTF_8);
    }

    void putSeries(byte[] servicePrefix, Series series) {
        store.put(key(servicePrefix, SERIES, series.id()), SeriesDefinition.encode(series));
    }

    void deleteSeries(byte[] servicePrefix, Series series) {
        store.delete(key(servicePrefix, SERIES, series.id()));
    }

    void putSegment(byte[] servicePrefix, long sequence, byte[] segment) {
        store.put(key(servicePrefix, SEGMENT, sequence), segment);
    }

    void deleteSegment(byte[] servicePrefix, long sequence) {
        store.delete(key(servicePrefix, SEGMENT, sequence));
    }

    /** Fills {@code window} with the stored series and segments of its service. */
    void load(ServiceWindow window) {
        byte[] servicePrefix = window.keyPrefix();
        Map<Integer, Series> series = new HashMap<>();
        List<KeyValue<Long, byte[]>> segments = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> entries = store.prefixScan(Bytes.wrap(servicePrefix),
                new BytesSerializer())) {
            while (entries.hasNext()) {
                KeyValue<Bytes, byte[]> entry = entries.next();
                ByteBuffer key = ByteBuffer.wrap(entry.key.get(), servicePrefix.length,
                        entry.key.get().length - servicePrefix.length);
                byte kind = key.get();
                if (kind == SERIES) {
                    int id = (int) key.getLong();
                    series.put(id, SeriesDefinition.restore(entry.value, id, window));
                } else if (kind == SEGMENT) {
                    segments.add(KeyValue.pair(key.getLong(), entry.value));
                }
            }
        }
        // Segments apply in the order they were written (a later sample with the same time wins); samples of a
        // series pruned since (no definition left) are skipped.
        segments.sort((a, b) -> Long.compare(a.key, b.key));
        for (KeyValue<Long, byte[]> segment : segments) {
            long[] maxTime = {Long.MIN_VALUE};
            PendingSamples.decode(segment.value, (id, time, value) -> {
                Series owner = series.get(id);
                if (owner != null) {
                    owner.samples().add(time, value);
                    window.observed(time);
                }
                maxTime[0] = Math.max(maxTime[0], time);
            });
            window.restoredSegment(segment.key, maxTime[0]);
        }
    }

    private static Bytes key(byte[] servicePrefix, byte kind, long number) {
        return Bytes.wrap(ByteBuffer.allocate(servicePrefix.length + 1 + Long.BYTES)
                .put(servicePrefix).put(kind).putLong(number).array());
    }
}

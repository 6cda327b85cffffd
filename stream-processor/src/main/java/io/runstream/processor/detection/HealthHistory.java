package io.runstream.processor.detection;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import io.runstream.avro.ServiceHealth;

/**
 * A bounded recent history of each service's health measurements, for charts: one entry per evaluation in the
 * {@code service-health-history-store}, keyed {@code service|zero-padded window end millis} so that a service's
 * history is one ordered range. Each evaluation adds its entry and drops the entries older than
 * {@link #RETENTION_MILLIS} before it (in event time), so a service keeps about 30 minutes (120 entries at the
 * default 15 s interval) and a write costs what it drops, not what is kept.
 */
public final class HealthHistory {

    static final long RETENTION_MILLIS = 30 * 60_000L;
    private static final char SEPARATOR = '|';
    private static final long MAX_MILLIS = 999_999_999_999_999L;

    private final KeyValueStore<String, ServiceHealth> store;

    HealthHistory(KeyValueStore<String, ServiceHealth> store) {
        this.store = store;
    }

    void record(String service, long windowEndMillis, ServiceHealth health) {
        store.put(key(service, windowEndMillis), health);
        List<String> expired = new ArrayList<>();
        try (KeyValueIterator<String, ServiceHealth> old = store.range(key(service, 0),
                key(service, Math.max(0, windowEndMillis - RETENTION_MILLIS - 1)))) {
            while (old.hasNext()) {
                KeyValue<String, ServiceHealth> entry = old.next();
                if (serviceOf(entry.key).equals(service)) {
                    expired.add(entry.key);
                }
            }
        }
        expired.forEach(store::delete);
    }

    /**
     * The latest {@code limit} measurements of {@code service} in {@code store} (one partition of the history
     * store), oldest first.
     */
    public static List<ServiceHealth> latest(ReadOnlyKeyValueStore<String, ServiceHealth> store, String service,
            int limit) {
        List<ServiceHealth> latest = new ArrayList<>();
        try (KeyValueIterator<String, ServiceHealth> newestFirst = store.reverseRange(key(service, 0),
                key(service, MAX_MILLIS))) {
            while (newestFirst.hasNext() && latest.size() < limit) {
                KeyValue<String, ServiceHealth> entry = newestFirst.next();
                if (serviceOf(entry.key).equals(service)) {
                    latest.add(entry.value);
                }
            }
        }
        Collections.reverse(latest);
        return latest;
    }

    /** The store key of a service's measurement at {@code windowEndMillis}. */
    static String key(String service, long windowEndMillis) {
        return service + SEPARATOR + String.format("%015d", windowEndMillis);
    }

    /** The service a key belongs to; a service name may itself contain the separator. */
    static String serviceOf(String key) {
        return key.substring(0, key.lastIndexOf(SEPARATOR));
    }
}

package io.runstream.processor;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.internals.WrappedStateStore;

/**
 * State as an earlier release wrote it: raw bytes put under the typed layers of a store (where restoring its
 * changelog puts them, and logged to the changelog as they go), so a test can upgrade a running topology's state
 * and watch the new release read it.
 */
public final class PreviousReleaseState {

    private PreviousReleaseState() {
    }

    /** Puts a value of the text encoding earlier releases used, under a UTF-8 string key. */
    public static void putText(TopologyTestDriver driver, String store, String key, String value) {
        putRaw(driver, store, key.getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8));
    }

    public static void putRaw(TopologyTestDriver driver, String store, byte[] key, byte[] value) {
        bytes(driver, store).put(Bytes.wrap(key), value);
    }

    /** The raw value under a UTF-8 string key, to see which encoding it is in. */
    public static byte[] rawValue(TopologyTestDriver driver, String store, String key) {
        return bytes(driver, store).get(Bytes.wrap(key.getBytes(StandardCharsets.UTF_8)));
    }

    /** The number of raw entries whose key starts with the given byte, to see which key encoding is left. */
    public static int countKeysStartingWith(TopologyTestDriver driver, String store, byte first) {
        int count = 0;
        try (var all = bytes(driver, store).all()) {
            while (all.hasNext()) {
                if (all.next().key.get()[0] == first) {
                    count++;
                }
            }
        }
        return count;
    }

    @SuppressWarnings("unchecked")
    private static KeyValueStore<Bytes, byte[]> bytes(TopologyTestDriver driver, String store) {
        StateStore typed = driver.getKeyValueStore(store);
        return (KeyValueStore<Bytes, byte[]>) ((WrappedStateStore<?, ?, ?>) typed).wrapped();
    }
}

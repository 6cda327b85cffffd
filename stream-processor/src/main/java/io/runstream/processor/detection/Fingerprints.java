package io.runstream.processor.detection;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

/**
 * Alertmanager's fingerprint of a label set (prometheus/common model.LabelSet.Fingerprint): 64-bit FNV-1a over
 * the labels sorted by name, each name and value followed by the 0xff separator byte, written as 16 lowercase
 * hex digits. A detected alert thus has the fingerprint Alertmanager would give the same labels.
 */
public final class Fingerprints {

    private static final long OFFSET = 0xcbf29ce484222325L;
    private static final long PRIME = 0x100000001b3L;
    private static final int SEPARATOR = 0xff;

    private Fingerprints() {
    }

    public static String of(Map<String, String> labels) {
        String[] names = labels.keySet().toArray(new String[0]);
        Arrays.sort(names);
        long hash = OFFSET;
        for (String name : names) {
            hash = add(hash, name);
            hash = addByte(hash, SEPARATOR);
            hash = add(hash, labels.get(name));
            hash = addByte(hash, SEPARATOR);
        }
        return String.format("%016x", hash);
    }

    private static long add(long hash, String text) {
        long result = hash;
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            result = addByte(result, b & 0xff);
        }
        return result;
    }

    private static long addByte(long hash, int b) {
        return (hash ^ b) * PRIME;
    }
}

package io.runstream.processor.detection;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The stored form of a series' identity: metric name and labels as length-prefixed UTF-8 strings, so that any
 * label value (control characters included) reads back exactly.
 */
final class SeriesDefinition {

    private SeriesDefinition() {
    }

    static byte[] encode(Series series) {
        Map<String, String> labels = series.labels();
        byte[][] parts = new byte[1 + 2 * labels.size()][];
        int index = 0;
        parts[index++] = utf8(series.metric());
        for (Map.Entry<String, String> label : labels.entrySet()) {
            parts[index++] = utf8(label.getKey());
            parts[index++] = utf8(label.getValue());
        }
        int size = Integer.BYTES;
        for (byte[] part : parts) {
            size += Integer.BYTES + part.length;
        }
        ByteBuffer buffer = ByteBuffer.allocate(size).putInt(labels.size());
        for (byte[] part : parts) {
            buffer.putInt(part.length).put(part);
        }
        return buffer.array();
    }

    /** Recreates the series in {@code window} under {@code id}. */
    static Series restore(byte[] definition, int id, ServiceWindow window) {
        ByteBuffer buffer = ByteBuffer.wrap(definition);
        int count = buffer.getInt();
        String metric = string(buffer);
        Map<String, String> labels = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            labels.put(string(buffer), string(buffer));
        }
        return window.restore(id, metric, Series.labelsKey(labels), labels);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String string(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.getInt()];
        buffer.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}

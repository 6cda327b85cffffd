package io.runstream.processor.detection;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Samples of one service accepted since its last store write, packed as (series id, time, value) so that they
 * go to the store as one entry (a segment) instead of one write per sample.
 */
final class PendingSamples {

    private static final int ENTRY_BYTES = Integer.BYTES + Long.BYTES + Double.BYTES;

    private int[] ids = new int[64];
    private long[] times = new long[64];
    private double[] values = new double[64];
    private int size;
    private long maxTime = Long.MIN_VALUE;

    void add(int id, long time, double value) {
        if (size == ids.length) {
            ids = Arrays.copyOf(ids, size * 2);
            times = Arrays.copyOf(times, size * 2);
            values = Arrays.copyOf(values, size * 2);
        }
        ids[size] = id;
        times[size] = time;
        values[size] = value;
        size++;
        maxTime = Math.max(maxTime, time);
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** The newest sample's time: once the window is pruned past it, the whole segment can go. */
    long maxTime() {
        return maxTime;
    }

    /** The segment's bytes: a count, then id, time and value per sample. */
    byte[] encode() {
        ByteBuffer buffer = ByteBuffer.allocate(Integer.BYTES + size * ENTRY_BYTES).putInt(size);
        for (int i = 0; i < size; i++) {
            buffer.putInt(ids[i]).putLong(times[i]).putDouble(values[i]);
        }
        return buffer.array();
    }

    void clear() {
        size = 0;
        maxTime = Long.MIN_VALUE;
    }

    /** Calls {@code sample} for each sample of an encoded segment, in the order they were accepted. */
    static void decode(byte[] segment, SampleConsumer sample) {
        ByteBuffer buffer = ByteBuffer.wrap(segment);
        int count = buffer.getInt();
        for (int i = 0; i < count; i++) {
            sample.accept(buffer.getInt(), buffer.getLong(), buffer.getDouble());
        }
    }

    @FunctionalInterface
    interface SampleConsumer {
        void accept(int id, long time, double value);
    }
}

package io.runstream.processor.detection;

import java.util.Arrays;

/**
 * One series' samples in time order, in two primitive arrays so the per-sample path allocates nothing.
 * Samples arrive almost always in order (appended); the few that arrive late within the grace are inserted.
 */
final class SampleBuffer {

    private long[] times = new long[8];
    private double[] values = new double[8];
    private int start;
    private int size;

    /** Adds a sample; a second sample with the same timestamp replaces the first (the last write wins). */
    void add(long time, double value) {
        if (size > 0 && time <= lastTime()) {
            insert(time, value);
            return;
        }
        ensureRoom();
        times[start + size] = time;
        values[start + size] = value;
        size++;
    }

    /** Removes the samples at or before {@code time}. */
    void dropUpTo(long time) {
        while (size > 0 && times[start] <= time) {
            start++;
            size--;
        }
        if (size == 0) {
            start = 0;
        }
    }

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    long time(int index) {
        return times[start + index];
    }

    double value(int index) {
        return values[start + index];
    }

    long firstTime() {
        return times[start];
    }

    long lastTime() {
        return times[start + size - 1];
    }

    /** Index of the first sample strictly after {@code time}; {@link #size()} when there is none. */
    int firstIndexAfter(long time) {
        int low = 0;
        int high = size;
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (time(mid) <= time) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low;
    }

    private void insert(long time, double value) {
        int index = firstIndexAfter(time);
        if (index > 0 && time(index - 1) == time) {
            values[start + index - 1] = value;
            return;
        }
        ensureRoom();
        int at = start + index;
        System.arraycopy(times, at, times, at + 1, size - index);
        System.arraycopy(values, at, values, at + 1, size - index);
        times[at] = time;
        values[at] = value;
        size++;
    }

    private void ensureRoom() {
        if (start + size < times.length) {
            return;
        }
        if (start > 0 && size < times.length / 2) {
            // Dropped samples left room at the front: slide down instead of growing.
            System.arraycopy(times, start, times, 0, size);
            System.arraycopy(values, start, values, 0, size);
        } else {
            long[] newTimes = Arrays.copyOf(Arrays.copyOfRange(times, start, start + size), times.length * 2);
            double[] newValues = Arrays.copyOf(Arrays.copyOfRange(values, start, start + size), values.length * 2);
            times = newTimes;
            values = newValues;
        }
        start = 0;
    }
}

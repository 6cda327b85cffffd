package io.runstream.bench.ingest;

import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/** Reads a CPU clock at the start and the end of a run's measured window, from a thread of its own. */
final class CpuWindow {

    private final Thread reader;
    private volatile long nanos;

    private CpuWindow(long from, long until, LongSupplier cpu) {
        reader = new Thread(() -> {
            LockSupport.parkNanos(from - System.nanoTime());
            long start = cpu.getAsLong();
            LockSupport.parkNanos(until - System.nanoTime());
            nanos = cpu.getAsLong() - start;
        }, "cpu-window");
        reader.setDaemon(true);
        reader.start();
    }

    static CpuWindow between(long fromNanoTime, long untilNanoTime, LongSupplier cpu) {
        return new CpuWindow(fromNanoTime, untilNanoTime, cpu);
    }

    /** CPU nanoseconds spent inside the window; waits for the window to end. */
    long nanos() throws InterruptedException {
        reader.join();
        return nanos;
    }
}

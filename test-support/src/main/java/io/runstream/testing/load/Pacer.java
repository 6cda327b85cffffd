package io.runstream.testing.load;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntConsumer;

/**
 * The clock of a load generator: calls a tick, numbered from 0, every period on a daemon thread of its own, and
 * counts the ticks that began more than a period late (the sender itself could not keep the pace, so a figure
 * measured under it is not at the rate asked for).
 */
public final class Pacer implements AutoCloseable {

    private final ScheduledExecutorService ticker;
    private final IntConsumer tick;
    private final long periodNanos;
    private final AtomicInteger ticks = new AtomicInteger();
    private final AtomicLong lateTicks = new AtomicLong();
    private long lastTickNanos;

    private Pacer(String name, Duration period, IntConsumer tick) {
        this.ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, name);
            thread.setDaemon(true);
            return thread;
        });
        this.tick = tick;
        this.periodNanos = period.toNanos();
    }

    /** Ticks on a fixed rate: a slow tick is followed at once by the next. */
    public static Pacer atFixedRate(String name, Duration period, IntConsumer tick) {
        Pacer pacer = new Pacer(name, period, tick);
        pacer.ticker.scheduleAtFixedRate(pacer::run, 0, period.toNanos(), TimeUnit.NANOSECONDS);
        return pacer;
    }

    /**
     * Ticks a period after the previous tick ended: for a sender whose tick can block (an HTTP request waiting
     * out a produce timeout while the broker is down), so that ticks do not pile up behind it.
     */
    public static Pacer withFixedDelay(String name, Duration period, IntConsumer tick) {
        Pacer pacer = new Pacer(name, period, tick);
        pacer.ticker.scheduleWithFixedDelay(pacer::run, 0, period.toNanos(), TimeUnit.NANOSECONDS);
        return pacer;
    }

    private void run() {
        long now = System.nanoTime();
        if (lastTickNanos != 0 && now - lastTickNanos > 2 * periodNanos) {
            lateTicks.incrementAndGet();
        }
        lastTickNanos = now;
        tick.accept(ticks.getAndIncrement());
    }

    /** Ticks that began more than a period late. */
    public long lateTicks() {
        return lateTicks.get();
    }

    /** Stops ticking and waits (up to a minute) for a tick under way. */
    public void stop() throws InterruptedException {
        ticker.shutdown();
        ticker.awaitTermination(60, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        try {
            stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

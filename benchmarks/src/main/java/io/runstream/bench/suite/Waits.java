package io.runstream.bench.suite;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Bounded polling for the suite's own steps (a benchmark, not a test: a 5 ms poll is below what is measured). */
final class Waits {

    private Waits() {
    }

    static void until(BooleanSupplier condition, Duration timeout, String what) throws InterruptedException {
        if (!within(condition, timeout)) {
            throw new IllegalStateException(what + " did not happen within " + timeout);
        }
    }

    /** Whether the condition came true within the timeout. */
    static boolean within(BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(5);
        }
        return true;
    }

    static double secondsSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}

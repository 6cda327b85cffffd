package io.runstream.workers;

import java.time.Duration;
import java.util.Objects;

/**
 * How patiently calls to a target system are retried: at most {@code maxAttempts} tries, waiting
 * {@code firstBackoff}, then twice as long each time up to {@code maxBackoff}. Callers also stop at the
 * command's expiry.
 */
public record RetryPolicy(int maxAttempts, Duration firstBackoff, Duration maxBackoff) {

    public static final RetryPolicy DEFAULTS = new RetryPolicy(5, Duration.ofMillis(250), Duration.ofSeconds(5));

    public RetryPolicy {
        Objects.requireNonNull(firstBackoff, "retry.firstBackoff");
        Objects.requireNonNull(maxBackoff, "retry.maxBackoff");
        if (maxAttempts < 1 || firstBackoff.isNegative() || maxBackoff.compareTo(firstBackoff) < 0) {
            throw new IllegalArgumentException("retry: maxAttempts >= 1 and 0 <= firstBackoff <= maxBackoff"
                    + " expected, was " + this);
        }
    }

    /** The wait after {@code current}. */
    public Duration next(Duration current) {
        Duration doubled = current.multipliedBy(2);
        return doubled.compareTo(maxBackoff) > 0 ? maxBackoff : doubled;
    }

    /** Waits between attempts; false when interrupted (the interrupt flag is kept for the caller's loop). */
    public boolean pause(Duration wait) {
        if (wait.isZero()) {
            return true;
        }
        try {
            Thread.sleep(wait.toMillis());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}

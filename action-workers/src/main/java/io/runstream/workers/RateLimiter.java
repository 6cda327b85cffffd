package io.runstream.workers;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * Sliding-window limits on changes: at most {@code perTarget} per target and {@code global} over all targets
 * within the window. Only changes that were (or in dry run would be) made count. Single-threaded use.
 */
public final class RateLimiter {

    private final int perTarget;
    private final int global;
    private final Duration window;
    private final Clock clock;
    private final Map<String, Deque<Instant>> byTarget = new HashMap<>();
    private final Deque<Instant> all = new ArrayDeque<>();

    public RateLimiter(int perTarget, int global, Duration window, Clock clock) {
        this.perTarget = perTarget;
        this.global = global;
        this.window = window;
        this.clock = clock;
    }

    /** Null when one more action on the target is allowed now, else why not. */
    public String problem(String target) {
        Instant now = clock.instant();
        prune(all, now);
        Deque<Instant> mine = byTarget.computeIfAbsent(target, t -> new ArrayDeque<>());
        prune(mine, now);
        if (mine.size() >= perTarget) {
            return perTarget + " actions on " + target + " within " + window + " already";
        }
        if (all.size() >= global) {
            return global + " actions on all targets within " + window + " already";
        }
        return null;
    }

    /** Counts one action on the target now. */
    public void record(String target) {
        record(target, clock.instant());
    }

    /** Counts one action on the target at {@code at}; calls must come in time order. Older than the window: ignored. */
    public void record(String target, Instant at) {
        if (!at.isAfter(clock.instant().minus(window))) {
            return;
        }
        all.addLast(at);
        byTarget.computeIfAbsent(target, t -> new ArrayDeque<>()).addLast(at);
    }

    private void prune(Deque<Instant> times, Instant now) {
        Instant horizon = now.minus(window);
        while (!times.isEmpty() && !times.peekFirst().isAfter(horizon)) {
            times.removeFirst();
        }
    }
}

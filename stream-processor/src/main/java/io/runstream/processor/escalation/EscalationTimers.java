package io.runstream.processor.escalation;

import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The escalation timers of one task, in a changelogged store indexed by due time. A timer is removed when it
 * fires, in the same transaction as what it issues, so after a crash or a rebalance it fires exactly once.
 * Cancellation is lazy: an acknowledged or resolved incident's timers are dropped when they come due.
 */
public final class EscalationTimers {

    /** Bounds one punctuation's work after a long outage; the rest fire at the next one. */
    static final int MAX_PER_PUNCTUATION = 1000;

    private final KeyValueStore<String, String> store;

    public EscalationTimers(KeyValueStore<String, String> store) {
        this.store = store;
    }

    public void schedule(Timer timer) {
        store.put(timer.key(), timer.name());
    }

    /** Removes and returns the timers due at or before {@code nowMillis}, earliest first. */
    public List<Timer> takeDue(long nowMillis) {
        List<String> keys = new ArrayList<>();
        try (KeyValueIterator<String, String> due = store.range(null, Timer.upperBound(nowMillis))) {
            while (due.hasNext() && keys.size() < MAX_PER_PUNCTUATION) {
                KeyValue<String, String> entry = due.next();
                keys.add(entry.key);
            }
        }
        List<Timer> timers = new ArrayList<>(keys.size());
        for (String key : keys) {
            store.delete(key);
            timers.add(Timer.parse(key));
        }
        return timers;
    }
}

package io.runstream.processor.detection;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import io.runstream.avro.AlertStatus;

/**
 * Prometheus' {@code for:} state machine for one threshold: inactive -> pending when the condition first holds
 * (activeAt = that evaluation), pending -> firing when it has held for {@code for}, firing -> resolved at the
 * first evaluation where it does not hold; pending that stops holding is forgotten silently.
 */
final class AlertLifecycle {

    /** A transition to publish: the new status and when the condition started holding. */
    record Transition(AlertStatus status, long startsAt) {
    }

    private AlertLifecycle() {
    }

    static Optional<Transition> step(Map<String, ActiveAlert> active, String key, boolean holds, long now,
            Duration holdFor) {
        ActiveAlert current = active.get(key);
        if (!holds) {
            if (current == null) {
                return Optional.empty();
            }
            active.remove(key);
            return current.firing() ? Optional.of(new Transition(AlertStatus.RESOLVED, current.activeAt()))
                    : Optional.empty();
        }
        if (current == null) {
            current = new ActiveAlert(now, false);
            active.put(key, current);
        }
        if (!current.firing() && now - current.activeAt() >= holdFor.toMillis()) {
            active.put(key, new ActiveAlert(current.activeAt(), true));
            return Optional.of(new Transition(AlertStatus.FIRING, current.activeAt()));
        }
        return Optional.empty();
    }
}

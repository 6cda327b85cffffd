package io.runstream.processor.correlation;

import java.time.Duration;
import java.time.Instant;

import org.apache.kafka.streams.state.KeyValueStore;

import io.runstream.avro.Incident;
import io.runstream.avro.IncidentState;
import io.runstream.processor.escalation.EscalationTimers;
import io.runstream.processor.escalation.Timer;

/**
 * Ages resolved incidents out of the correlation task's stores. When an incident resolves, a retention timer
 * goes into the due-time-indexed timers store (so the sweep costs what is due, never a scan of the incidents);
 * its name carries the resolution time. When it comes due and the incident is still the one current under its
 * key, still resolved, and resolved at that same time (a reopen and a later resolution cancel it lazily, the
 * later resolution having scheduled its own), the incident's entries are deleted from {@code correlation-store},
 * {@code runbook-progress-store} and {@code incident-record-store}; the caller then publishes the tombstones.
 * Its escalation, recovery and approval timers need no deletion: they find no incident when they come due.
 */
final class IncidentRetention {

    static final String TIMER_PREFIX = "retention.";

    private final Duration retention;
    private final EscalationTimers timers;
    private final KeyValueStore<String, Incident> incidents;
    private final KeyValueStore<String, ?> progress;
    private final KeyValueStore<String, ?> records;

    IncidentRetention(Duration retention, EscalationTimers timers, KeyValueStore<String, Incident> incidents,
            KeyValueStore<String, ?> progress, KeyValueStore<String, ?> records) {
        this.retention = retention;
        this.timers = timers;
        this.incidents = incidents;
        this.progress = progress;
        this.records = records;
    }

    static boolean isRetentionTimer(Timer timer) {
        return timer.name().startsWith(TIMER_PREFIX);
    }

    /** Schedules the deletion of {@code after} when this change resolved it (wall-clock {@code nowMillis}). */
    void onStored(Incident before, Incident after, long nowMillis) {
        Instant resolvedAt = after.getResolvedAt();
        if (after.getState() != IncidentState.RESOLVED || resolvedAt == null
                || before != null && before.getId().equals(after.getId())
                        && before.getState() == IncidentState.RESOLVED && resolvedAt.equals(before.getResolvedAt())) {
            return;
        }
        timers.schedule(new Timer(nowMillis + retention.toMillis(), after.getId(),
                TIMER_PREFIX + resolvedAt.toEpochMilli(), after.getCorrelationKey()));
    }

    /** Deletes the incident the timer was scheduled for if it still applies; true when it did. */
    boolean expire(Timer timer) {
        String key = timer.correlationKey();
        Incident incident = incidents.get(key);
        if (incident == null || !incident.getId().equals(timer.incidentId())
                || incident.getState() != IncidentState.RESOLVED || incident.getResolvedAt() == null
                || !timer.name().equals(TIMER_PREFIX + incident.getResolvedAt().toEpochMilli())) {
            return false;
        }
        incidents.delete(key);
        progress.delete(key);
        records.delete(key);
        return true;
    }
}

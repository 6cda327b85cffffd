package io.runstream.processor.correlation;

import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

import io.runstream.avro.Incident;
import io.runstream.processor.escalation.EscalationTimers;
import io.runstream.processor.escalation.Timer;
import io.runstream.processor.recovery.PostIncidentRecord;

/**
 * The one place a {@link Decision} is applied: the incident's new state goes to {@code correlation-store} (and a
 * resolution schedules its retention), its timers to {@code escalation-timers-store}, its entries to the
 * post-incident record, and the whole change downstream, keyed by incident id. Stages decide; only this writes
 * (the runbook stage's own progress and rollouts excepted: they are its state, not the incident's).
 */
final class IncidentWriter {

    private final ProcessorContext<String, IncidentChange> context;
    private final KeyValueStore<String, Incident> incidents;
    private final EscalationTimers timers;
    private final PostIncidentRecord record;
    private final IncidentRetention retention;

    IncidentWriter(ProcessorContext<String, IncidentChange> context, KeyValueStore<String, Incident> incidents,
            EscalationTimers timers, PostIncidentRecord record, IncidentRetention retention) {
        this.context = context;
        this.incidents = incidents;
        this.timers = timers;
        this.record = record;
        this.retention = retention;
    }

    /**
     * Applies what the stages decided about the incident {@code incidentId} under {@code key}, which held
     * {@code before}; the change goes downstream with {@code timestamp} when it has anything to publish.
     */
    void write(String key, String incidentId, Incident before, Decision decision, long timestamp) {
        Incident after = decision.incident();
        if (after != null) {
            incidents.put(key, after);
            retention.onStored(before, after, context.currentSystemTimeMs());
        }
        decision.timers().forEach(timers::schedule);
        if (after == null && decision.events().isEmpty() && decision.commands().isEmpty()) {
            return;
        }
        Incident current = after != null ? after : before;
        context.forward(new Record<>(incidentId, new IncidentChange(after, record.record(key,
                current == null ? null : current.getId(), decision.events()), decision.commands()), timestamp));
    }

    /**
     * Deletes the incident a retention timer was scheduled for, if it still applies, and publishes its tombstones;
     * true when it did.
     */
    boolean expire(Timer timer, long timestamp) {
        if (!retention.expire(timer)) {
            return false;
        }
        context.forward(new Record<>(timer.incidentId(), IncidentChange.deletion(), timestamp));
        return true;
    }
}

package io.runstream.processor.correlation;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

import org.apache.avro.specific.SpecificRecord;

import io.runstream.avro.Alert;
import io.runstream.avro.IncidentCommand;
import io.runstream.processor.command.CommandOutcome;
import io.runstream.processor.command.IncidentCommands;
import io.runstream.avro.AlertStatus;
import io.runstream.avro.Incident;
import io.runstream.avro.IncidentEvent;
import io.runstream.avro.IncidentState;
import io.runstream.avro.Severity;
import io.runstream.processor.escalation.EscalationPolicy;
import io.runstream.processor.escalation.EscalationTimers;
import io.runstream.processor.escalation.Escalations;
import io.runstream.processor.escalation.Timer;
import io.runstream.processor.severity.SeverityClassifier;

/**
 * Stage 3 (and 4) of DESIGN.md, keyed by correlation key: attaches each alert to the open incident of its key,
 * opens one when there is none, reopens a recently resolved one instead of opening a duplicate, resolves it
 * when its last alert resolves, and re-ranks its severity. Emits the incident's new state with the timeline
 * entries that explain it, keyed by incident id.
 */
final class IncidentCorrelator implements Processor<String, SpecificRecord, String, IncidentChange> {

    /** How often due escalation timers are looked for; a step fires at most this late. */
    static final Duration PUNCTUATION_INTERVAL = Duration.ofSeconds(1);

    private final String storeName;
    private final String timersStoreName;
    private final EscalationPolicy escalationPolicy;
    private final CorrelationPolicy policy;
    private final SeverityClassifier severities;
    private final CorrelationMetrics metrics;
    private ProcessorContext<String, IncidentChange> context;
    private KeyValueStore<String, Incident> incidents;
    private Escalations escalations;

    IncidentCorrelator(String storeName, String timersStoreName, CorrelationPolicy policy,
            SeverityClassifier severities, EscalationPolicy escalationPolicy, CorrelationMetrics metrics) {
        this.storeName = storeName;
        this.timersStoreName = timersStoreName;
        this.escalationPolicy = escalationPolicy;
        this.policy = policy;
        this.severities = severities;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, IncidentChange> context) {
        this.context = context;
        this.incidents = context.getStateStore(storeName);
        this.escalations = new Escalations(escalationPolicy, new EscalationTimers(context.getStateStore(timersStoreName)));
        // Wall-clock time: escalation must fire while no alert arrives at all.
        context.schedule(PUNCTUATION_INTERVAL, PunctuationType.WALL_CLOCK_TIME, this::fireDueTimers);
    }

    private void fireDueTimers(long nowMillis) {
        for (Timer timer : escalations.dueTimers(nowMillis)) {
            escalations.fire(timer, incidents.get(timer.correlationKey()), nowMillis).ifPresent(fired ->
                    context.forward(new Record<>(timer.incidentId(),
                            new IncidentChange(null, List.of(fired.event()), List.of(fired.command())), nowMillis)));
        }
    }

    @Override
    public void process(Record<String, SpecificRecord> record) {
        if (record.key() == null) {
            return;
        }
        if (record.value() instanceof Alert alert) {
            onAlert(record.key(), alert, record.timestamp());
        } else if (record.value() instanceof IncidentCommand command) {
            onCommand(record.key(), command, record.timestamp());
        }
    }

    private void onCommand(String key, IncidentCommand command, long now) {
        CommandOutcome outcome = IncidentCommands.apply(incidents.get(key), command, now);
        if (outcome.accepted()) {
            incidents.put(key, outcome.incident());
        }
        context.forward(new Record<>(command.getIncidentId(),
                new IncidentChange(outcome.incident(), List.of(outcome.event())), now));
    }

    private void onAlert(String key, Alert alert, long now) {
        Incident current = incidents.get(key);
        List<IncidentEvent> events = new ArrayList<>();
        Incident next = alert.getStatus() == AlertStatus.FIRING
                ? onFiring(key, current, alert, now, events)
                : onResolved(current, alert, now, events);
        if (next == null) {
            metrics.resolvedWithoutIncident();
            return;
        }
        boolean escalate = rank(next, current, now, events) || isNewOrReopened(next, current);
        next.setLastSeenAt(Instant.ofEpochMilli(now));
        next.setUpdatedAt(Instant.ofEpochMilli(now));
        incidents.put(key, next);
        if (escalate) {
            escalations.plan(next, context.currentSystemTimeMs());
        }
        context.forward(new Record<>(next.getId(), new IncidentChange(next, events), now));
    }

    private Incident onFiring(String key, Incident current, Alert alert, long now, List<IncidentEvent> events) {
        if (current == null || isClosedBeyondReopenWindow(current, now)) {
            Incident opened = IncidentAlerts.open(key, policy.groupBy(), alert, now);
            events.add(TimelineEntries.opened(opened, now));
            events.add(TimelineEntries.alertAttached(opened, alert, now));
            metrics.opened();
            return opened;
        }
        Incident next = Incident.newBuilder(current).build();
        if (current.getState() == IncidentState.RESOLVED) {
            next.setState(IncidentState.OPEN);
            next.setResolvedAt(null);
            next.setResolvedBy(null);
            next.setReopenCount(current.getReopenCount() + 1);
            events.add(TimelineEntries.reopened(next, now));
            metrics.reopened();
        }
        if (IncidentAlerts.attach(next, alert, now)) {
            events.add(TimelineEntries.alertAttached(next, alert, now));
        }
        return next;
    }

    private Incident onResolved(Incident current, Alert alert, long now, List<IncidentEvent> events) {
        if (current == null || current.getState() == IncidentState.RESOLVED) {
            return null;
        }
        Incident next = Incident.newBuilder(current).build();
        if (!IncidentAlerts.resolve(next, alert, now)) {
            return null;
        }
        events.add(TimelineEntries.alertResolved(next, alert, now));
        if (IncidentAlerts.allResolved(next)) {
            next.setState(IncidentState.RESOLVED);
            next.setResolvedAt(Instant.ofEpochMilli(now));
            next.setResolvedBy("alerts");
            events.add(TimelineEntries.resolvedByAlerts(next, now));
            metrics.resolved();
        }
        return next;
    }

    private boolean isClosedBeyondReopenWindow(Incident incident, long now) {
        return incident.getState() == IncidentState.RESOLVED && incident.getResolvedAt() != null
                && now - incident.getResolvedAt().toEpochMilli() > policy.reopenWindow().toMillis();
    }

    private static boolean isNewOrReopened(Incident next, Incident previous) {
        return previous == null || !previous.getId().equals(next.getId())
                || previous.getState() == IncidentState.RESOLVED && next.getState() != IncidentState.RESOLVED;
    }

    /** Sets the incident's severity; true when it rose (so the higher severity's escalation starts). */
    private boolean rank(Incident next, Incident previous, long now, List<IncidentEvent> events) {
        Severity before = previous == null || !previous.getId().equals(next.getId()) ? null : previous.getSeverity();
        Severity after = severities.next(before == null ? next.getSeverity() : before, next);
        next.setSeverity(after);
        if (before != null && after != before) {
            events.add(TimelineEntries.severityChanged(next, before, now, IncidentAlerts.impactSummary(next)));
            return true;
        }
        return false;
    }
}

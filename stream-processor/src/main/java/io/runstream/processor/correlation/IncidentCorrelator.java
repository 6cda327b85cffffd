package io.runstream.processor.correlation;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

import org.apache.avro.specific.SpecificRecord;

import io.runstream.avro.Alert;
import io.runstream.avro.ActionCommand;
import io.runstream.avro.ActionResult;
import io.runstream.avro.DeploymentEvent;
import io.runstream.avro.IncidentCommand;
import io.runstream.avro.IncidentCommandType;
import io.runstream.processor.command.CommandOutcome;
import io.runstream.processor.command.IncidentCommands;
import io.runstream.avro.AlertStatus;
import io.runstream.avro.Incident;
import io.runstream.avro.IncidentEvent;
import io.runstream.avro.IncidentState;
import io.runstream.avro.ServiceHealth;
import io.runstream.avro.Severity;
import io.runstream.processor.escalation.CloseOut;
import io.runstream.processor.escalation.EscalationPolicy;
import io.runstream.processor.escalation.EscalationTimers;
import io.runstream.processor.escalation.Escalations;
import io.runstream.processor.escalation.NotifiedChannels;
import io.runstream.processor.escalation.Timer;
import io.runstream.processor.recovery.PostIncidentRecord;
import io.runstream.processor.recovery.RecoveryWatch;
import io.runstream.processor.runbook.Decision;
import io.runstream.processor.runbook.RunbookRunner;
import io.runstream.processor.runbook.Runbooks;
import io.runstream.processor.severity.LiveImpact;
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
    private final String progressStoreName;
    private final String rolloutsStoreName;
    private final String recordStoreName;
    private final Runbooks runbookDefinitions;
    private final EscalationPolicy escalationPolicy;
    private final CorrelationPolicy policy;
    private final SeverityClassifier severities;
    private final CorrelationMetrics metrics;
    private ProcessorContext<String, IncidentChange> context;
    private KeyValueStore<String, Incident> incidents;
    private Escalations escalations;
    private CloseOut closeOut;
    private RecoveryWatch recovery;
    private PostIncidentRecord record;
    private RunbookRunner runbooks;
    private IncidentRetention retention;

    IncidentCorrelator(CorrelationStores stores, CorrelationPolicy policy, SeverityClassifier severities,
            EscalationPolicy escalationPolicy, Runbooks runbooks, CorrelationMetrics metrics) {
        this.storeName = stores.incidents();
        this.timersStoreName = stores.timers();
        this.progressStoreName = stores.runbookProgress();
        this.rolloutsStoreName = stores.rollouts();
        this.recordStoreName = stores.records();
        this.runbookDefinitions = runbooks;
        this.escalationPolicy = escalationPolicy;
        this.policy = policy;
        this.severities = severities;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, IncidentChange> context) {
        this.context = context;
        this.incidents = context.getStateStore(storeName);
        EscalationTimers timers = new EscalationTimers(context.getStateStore(timersStoreName));
        this.escalations = new Escalations(escalationPolicy, timers);
        this.closeOut = new CloseOut(escalations);
        this.recovery = new RecoveryWatch(runbookDefinitions.recovery(), timers);
        this.record = new PostIncidentRecord(context.getStateStore(recordStoreName));
        this.runbooks = new RunbookRunner(runbookDefinitions, context.getStateStore(progressStoreName),
                context.getStateStore(rolloutsStoreName), timers, context::currentSystemTimeMs);
        this.retention = new IncidentRetention(policy.retention(), timers, incidents,
                context.getStateStore(progressStoreName), context.getStateStore(recordStoreName));
        // Wall-clock time: escalation must fire while no alert arrives at all.
        context.schedule(PUNCTUATION_INTERVAL, PunctuationType.WALL_CLOCK_TIME, this::fireDueTimers);
    }

    private void fireDueTimers(long nowMillis) {
        for (Timer timer : escalations.dueTimers(nowMillis)) {
            if (IncidentRetention.isRetentionTimer(timer)) {
                if (retention.expire(timer)) {
                    metrics.deleted();
                    context.forward(new Record<>(timer.incidentId(), IncidentChange.deletion(), nowMillis));
                }
                continue;
            }
            Incident incident = incidents.get(timer.correlationKey());
            if (RecoveryWatch.isRecoveryTimer(timer)) {
                recovery.fire(timer, incident, nowMillis).ifPresent(verdict ->
                        onRecoveryVerdict(timer.correlationKey(), incident, verdict, nowMillis));
            } else if (RunbookRunner.isApprovalTimer(timer)) {
                runbooks.onApprovalTimeout(timer.correlationKey(), incident, timer, nowMillis).ifPresent(decision ->
                        emit(timer.correlationKey(), incident, List.of(), List.of(), decision, nowMillis));
            } else {
                List<Escalations.Fired> fired = escalations.fire(timer, incident, nowMillis, this::actionsTaken);
                if (!fired.isEmpty()) {
                    forward(timer.correlationKey(), timer.incidentId(), new IncidentChange(null,
                            fired.stream().map(Escalations.Fired::event).toList(),
                            fired.stream().map(Escalations.Fired::command).toList()), nowMillis);
                }
            }
        }
    }

    /**
     * Remembers the channels its notifications reach on the incident, records the timeline entries for the
     * post-incident record, then sends the change on, keyed by incident.
     */
    private void forward(String key, String incidentId, IncidentChange change, long timestamp) {
        Incident incident = change.incident();
        if (!change.commands().isEmpty()) {
            Incident known = incident != null ? incident : incidents.get(key);
            Incident told = known == null ? null : NotifiedChannels.withChannelsOf(known, change.commands());
            if (told != null) {
                store(key, known, told);
                incident = told;
            }
        }
        IncidentChange recorded = new IncidentChange(incident, record.record(key, change.events()),
                change.commands());
        context.forward(new Record<>(incidentId, recorded, timestamp));
    }

    /** Every write of an incident goes through here, so that each resolution schedules its retention. */
    private void store(String key, Incident before, Incident after) {
        incidents.put(key, after);
        retention.onStored(before, after, context.currentSystemTimeMs());
    }

    private List<String> actionsTaken(Incident incident) {
        return record.actions(incident.getCorrelationKey(), incident.getId());
    }

    /** Adds to the change what acknowledging or resolving tells the channels that heard of the episode. */
    private void closeOut(Incident before, Incident after, long nowMillis, List<IncidentEvent> events,
            List<ActionCommand> commands) {
        for (Escalations.Fired fired : closeOut.of(before, after, nowMillis, this::actionsTaken)) {
            events.add(fired.event());
            commands.add(fired.command());
        }
    }

    private void onRecoveryVerdict(String key, Incident incident, RecoveryWatch.Verdict verdict, long nowMillis) {
        if (!verdict.notRecovered()) {
            metrics.resolved();
            emit(key, incident, List.of(verdict.event()), List.of(),
                    new Decision(verdict.resolved(), List.of(), List.of()), nowMillis);
            return;
        }
        emit(key, incident, List.of(verdict.event()), List.of(), runbooks.onNoRecovery(key, incident, nowMillis),
                nowMillis);
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
        } else if (record.value() instanceof ActionResult result) {
            onResult(record.key(), result, record.timestamp());
        } else if (record.value() instanceof DeploymentEvent rollout) {
            runbooks.onRollout(record.key(), rollout);
        } else if (record.value() instanceof ServiceHealth health) {
            onImpact(record.key(), health, record.timestamp());
        }
    }

    /**
     * Detection measured the service in another impact band (runbook 001, Severity Levels): the live incident
     * takes the measured rates, and a rise is on the timeline and starts the higher chain, as from an alert.
     */
    private void onImpact(String key, ServiceHealth health, long now) {
        Optional<LiveImpact.Applied> applied = LiveImpact.apply(severities, incidents.get(key), health, now);
        if (applied.isEmpty()) {
            metrics.impactWithoutIncident();
            return;
        }
        Incident next = applied.get().incident();
        List<IncidentEvent> events = new ArrayList<>();
        if (applied.get().rose()) {
            events.add(TimelineEntries.severityChanged(next, applied.get().before(), now,
                    IncidentAlerts.impactSummary(next)));
            escalations.plan(next, context.currentSystemTimeMs());
        }
        Decision decision = runbooks.consider(key, next, now);
        // stored and forwarded whether or not a runbook changed it further: its measured rates changed
        emit(key, next, events, List.of(), decision.incident() != null ? decision
                : new Decision(next, decision.events(), decision.commands()), now);
    }

    private void onResult(String key, ActionResult result, long now) {
        Incident incident = incidents.get(key);
        if (incident == null || !incident.getId().equals(result.getIncidentId())) {
            metrics.resultWithoutIncident();
            return;
        }
        emit(key, incident, List.of(), List.of(), runbooks.onResult(key, incident, result, now), now);
    }

    /** Stores the incident (as the runbook stage left it) and forwards everything that happened to it. */
    private void emit(String key, Incident incident, List<IncidentEvent> events, List<ActionCommand> commands,
            Decision decision, long now) {
        Incident finalState = decision.incident() != null ? decision.incident() : incident;
        List<IncidentEvent> allEvents = new ArrayList<>(events);
        allEvents.addAll(decision.events());
        List<ActionCommand> allCommands = new ArrayList<>(commands);
        allCommands.addAll(decision.commands());
        if (decision.incident() != null) {
            store(key, incident, finalState);
            watchIfMitigated(key, incident, finalState);
            closeOut(incident, finalState, context.currentSystemTimeMs(), allEvents, allCommands);
        }
        boolean stateChanged = decision.incident() != null;
        forward(key, finalState.getId(), new IncidentChange(stateChanged ? finalState : null,
                allEvents, allCommands), now);
    }

    private void watchIfMitigated(String key, Incident before, Incident after) {
        if (after.getState() == IncidentState.MITIGATED && (before == null || before.getMitigatedAt() == null)) {
            recovery.mitigated(after, context.currentSystemTimeMs(), runbooks.deadlineOf(key, after));
            if (IncidentAlerts.allResolved(after)) {
                recovery.recovered(after, context.currentSystemTimeMs());
            }
        }
    }

    private void onCommand(String key, IncidentCommand command, long now) {
        Incident current = incidents.get(key);
        if (command.getType() == IncidentCommandType.APPROVE && current != null
                && current.getId().equals(command.getIncidentId())) {
            Optional<Decision> released = runbooks.approve(key, current, command, now);
            if (released.isPresent()) {
                emit(key, current, List.of(), List.of(), released.get(), now);
                return;
            }
        }
        CommandOutcome outcome = IncidentCommands.apply(current, command, now);
        List<IncidentEvent> events = new ArrayList<>(List.of(outcome.event()));
        List<ActionCommand> commands = new ArrayList<>();
        if (outcome.accepted()) {
            store(key, current, outcome.incident());
            closeOut(current, outcome.incident(), context.currentSystemTimeMs(), events, commands);
        }
        forward(key, command.getIncidentId(), new IncidentChange(outcome.incident(), events, commands), now);
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
        store(key, current, next);
        if (escalate) {
            escalations.plan(next, context.currentSystemTimeMs());
        }
        if (alert.getStatus() == AlertStatus.FIRING && startsFiring(current, next, alert)) {
            escalations.planAlert(next, TimelineEntries.alertName(alert), context.currentSystemTimeMs());
        }
        if (current != null && current.getState() == IncidentState.MITIGATED && next.getState() == IncidentState.MITIGATED
                && IncidentAlerts.allResolved(next) && !IncidentAlerts.allResolved(current)) {
            recovery.recovered(next, context.currentSystemTimeMs());
        }
        Decision decision = runbooks.consider(key, next, now);
        if (decision.incident() != null) {
            store(key, next, decision.incident());
            watchIfMitigated(key, next, decision.incident());
        }
        List<IncidentEvent> allEvents = new ArrayList<>(events);
        allEvents.addAll(decision.events());
        List<ActionCommand> commands = new ArrayList<>(decision.commands());
        Incident finalState = decision.incident() != null ? decision.incident() : next;
        closeOut(current, finalState, context.currentSystemTimeMs(), allEvents, commands);
        forward(key, finalState.getId(), new IncidentChange(finalState, allEvents, commands), now);
    }

    private Incident onFiring(String key, Incident current, Alert alert, long now, List<IncidentEvent> events) {
        if (current == null || isClosedBeyondReopenWindow(current, now)) {
            Incident opened = IncidentAlerts.open(key, policy.groupBy(), alert, now);
            // ranked before its first entries, so OPENED names the severity it opens with, not UNKNOWN
            opened.setSeverity(severities.next(null, opened));
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
            // a new episode: its notifications start afresh, and so does what close-out will tell; the last
            // episode's acknowledgement and mitigation ended with it, or they would stop the new one's escalation
            next.setNotifiedChannels(new ArrayList<>());
            next.setAcknowledgedAt(null);
            next.setAcknowledgedBy(null);
            next.setMitigatedAt(null);
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
        // A mitigated incident resolves only after recovery held (RecoveryWatch), not at its alerts' word.
        if (IncidentAlerts.allResolved(next) && next.getState() != IncidentState.MITIGATED) {
            next.setState(IncidentState.RESOLVED);
            next.setResolvedAt(Instant.ofEpochMilli(now));
            next.setResolvedBy("alerts");
            events.add(TimelineEntries.resolvedByAlerts(next, now));
            metrics.resolved();
        }
        return next;
    }

    /** Whether no alert of this one's name fired in the incident's episode before it (its alert chain starts). */
    private static boolean startsFiring(Incident previous, Incident next, Alert alert) {
        String alertname = TimelineEntries.alertName(alert);
        if (previous == null || !previous.getId().equals(next.getId())
                || previous.getReopenCount() != next.getReopenCount() || previous.getState() == IncidentState.RESOLVED) {
            return true;
        }
        return previous.getAlerts().stream().noneMatch(a -> a.getStatus() == AlertStatus.FIRING
                && alertname.equals(a.getAlertname()));
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

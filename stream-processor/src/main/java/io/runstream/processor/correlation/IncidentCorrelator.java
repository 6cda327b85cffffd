package io.runstream.processor.correlation;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

import io.runstream.avro.ActionResult;
import io.runstream.avro.Alert;
import io.runstream.avro.DeploymentEvent;
import io.runstream.avro.Incident;
import io.runstream.avro.IncidentCommand;
import io.runstream.avro.IncidentCommandType;
import io.runstream.avro.ServiceHealth;
import io.runstream.processor.command.IncidentCommands;
import io.runstream.processor.escalation.CloseOut;
import io.runstream.processor.escalation.EscalationPolicy;
import io.runstream.processor.escalation.EscalationTimers;
import io.runstream.processor.escalation.Escalations;
import io.runstream.processor.escalation.NotifiedChannels;
import io.runstream.processor.escalation.Timer;
import io.runstream.processor.recovery.PostIncidentRecord;
import io.runstream.processor.recovery.RecoveryWatch;
import io.runstream.processor.runbook.RunbookRunner;
import io.runstream.processor.runbook.Runbooks;
import io.runstream.processor.severity.SeverityClassifier;
import io.runstream.processor.severity.SeverityRanking;

/**
 * The single writer of the incidents of the correlation keys its task owns: stages 3 to 7 of DESIGN.md as a
 * pipeline. Each {@link IncidentInput} (and each due timer) goes through the stages it concerns, each a small type
 * that takes the incident as it stands and returns a {@link Decision}: correlation ({@link AlertCorrelation}),
 * severity ({@link SeverityRanking}), commands ({@link IncidentCommands}), escalation ({@link Escalations}),
 * runbooks ({@link RunbookRunner}), recovery ({@link RecoveryWatch}). Then every change of state goes through the
 * stages that follow any change (recovery's watch, close-out, the channels notified), and {@link IncidentWriter}
 * applies the combined decision: stores, timers, outputs keyed by incident id.
 */
final class IncidentCorrelator implements Processor<String, IncidentInput, String, IncidentChange> {

    /** How often due escalation timers are looked for; a step fires at most this late. */
    static final Duration PUNCTUATION_INTERVAL = Duration.ofSeconds(1);

    private final CorrelationStores stores;
    private final Runbooks runbookDefinitions;
    private final EscalationPolicy escalationPolicy;
    private final CorrelationPolicy policy;
    private final SeverityClassifier severities;
    private final CorrelationMetrics metrics;
    private ProcessorContext<String, IncidentChange> context;
    private KeyValueStore<String, Incident> incidents;
    private EscalationTimers timers;
    private PostIncidentRecord record;
    private IncidentWriter writer;
    private AlertCorrelation correlation;
    private SeverityRanking ranking;
    private Escalations escalations;
    private CloseOut closeOut;
    private RunbookRunner runbooks;
    private RecoveryWatch recovery;

    IncidentCorrelator(CorrelationStores stores, CorrelationPolicy policy, SeverityClassifier severities,
            EscalationPolicy escalationPolicy, Runbooks runbooks, CorrelationMetrics metrics) {
        this.stores = stores;
        this.runbookDefinitions = runbooks;
        this.escalationPolicy = escalationPolicy;
        this.policy = policy;
        this.severities = severities;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, IncidentChange> context) {
        this.context = context;
        this.incidents = context.getStateStore(stores.incidents());
        this.timers = new EscalationTimers(context.getStateStore(stores.timers()));
        this.record = new PostIncidentRecord(context.getStateStore(stores.records()));
        this.writer = new IncidentWriter(context, incidents, timers, record, new IncidentRetention(policy.retention(),
                timers, incidents, context.getStateStore(stores.runbookProgress()),
                context.getStateStore(stores.records())));
        this.correlation = new AlertCorrelation(policy, severities, metrics);
        this.ranking = new SeverityRanking(severities);
        this.escalations = new Escalations(escalationPolicy);
        this.closeOut = new CloseOut(escalations);
        this.runbooks = new RunbookRunner(runbookDefinitions, context.getStateStore(stores.runbookProgress()),
                context.getStateStore(stores.rollouts()), context::currentSystemTimeMs);
        this.recovery = new RecoveryWatch(runbookDefinitions.recovery());
        // Wall-clock time: escalation must fire while no alert arrives at all.
        context.schedule(PUNCTUATION_INTERVAL, PunctuationType.WALL_CLOCK_TIME, this::fireDueTimers);
    }

    @Override
    public void process(Record<String, IncidentInput> input) {
        if (input.key() == null) {
            return;
        }
        Incident before = incidents.get(input.key());
        Decided decided = input.value().accept(new InputStages(input.key(), before, input.timestamp()));
        if (decided != Decided.NOTHING) {
            finish(input.key(), decided.incidentId(), before, decided.decision(), input.timestamp());
        }
    }

    /** A decision about one incident, by id; {@link #NOTHING} when an input changes no incident. */
    private record Decided(String incidentId, Decision decision) {

        static final Decided NOTHING = new Decided(null, Decision.nothing());
    }

    /** The stages each kind of input goes through, for one record under {@code key}, which holds {@code before}. */
    private final class InputStages implements IncidentInput.Visitor<Decided> {

        private final String key;
        private final Incident before;
        private final long now;

        InputStages(String key, Incident before, long now) {
            this.key = key;
            this.before = before;
            this.now = now;
        }

        /** Correlated, ranked, escalated (from its start when it opened, reopened or rose), then the runbooks. */
        @Override
        public Decided alert(Alert alert) {
            Decision correlated = correlation.apply(key, before, alert, now);
            if (correlated.isEmpty()) {
                return Decided.NOTHING;
            }
            Decision ranked = correlated.then(ranking.afterAlert(before, correlated.incident(), now));
            long wallNow = context.currentSystemTimeMs();
            Decision decision = ranked.then(escalations.chains(ranked, wallNow))
                    .then(escalations.alertChain(before, ranked.incident(), alert, wallNow))
                    .then(runbooks.consider(key, ranked.incident(), now));
            return new Decided(decision.incident().getId(), decision);
        }

        /** An approval goes to the runbook step that waits for it; any other command, or none waiting, is applied. */
        @Override
        public Decided command(IncidentCommand command) {
            if (command.getType() == IncidentCommandType.APPROVE && before != null
                    && before.getId().equals(command.getIncidentId())) {
                Optional<Decision> released = runbooks.approve(key, before, command, now);
                if (released.isPresent()) {
                    return new Decided(before.getId(), released.get());
                }
            }
            // keyed by the command's incident: a rejection is on that incident's timeline, current or not
            return new Decided(command.getIncidentId(), IncidentCommands.apply(before, command, now).decision());
        }

        @Override
        public Decided result(ActionResult result) {
            if (before == null || !before.getId().equals(result.getIncidentId())) {
                metrics.resultWithoutIncident();
                return Decided.NOTHING;
            }
            return new Decided(before.getId(), runbooks.onResult(key, before, result, now));
        }

        /** Context for the runbooks, which keep it themselves; no incident changes. */
        @Override
        public Decided rollout(DeploymentEvent rollout) {
            runbooks.onRollout(key, rollout);
            return Decided.NOTHING;
        }

        /** The live incident takes the measured impact; a rise starts the higher chain, as from an alert. */
        @Override
        public Decided impact(ServiceHealth health) {
            Optional<Decision> measured = ranking.afterImpact(before, health, now);
            if (measured.isEmpty()) {
                metrics.impactWithoutIncident();
                return Decided.NOTHING;
            }
            Decision ranked = measured.get();
            Decision decision = ranked.then(escalations.chains(ranked, context.currentSystemTimeMs()))
                    .then(runbooks.consider(key, ranked.incident(), now));
            return new Decided(ranked.incident().getId(), decision);
        }
    }

    private void fireDueTimers(long nowMillis) {
        for (Timer timer : timers.takeDue(nowMillis)) {
            if (IncidentRetention.isRetentionTimer(timer)) {
                if (writer.expire(timer, nowMillis)) {
                    metrics.deleted();
                }
                continue;
            }
            String key = timer.correlationKey();
            Incident incident = incidents.get(key);
            Decision decision = onDue(key, incident, timer, nowMillis);
            if (!decision.isEmpty()) {
                finish(key, timer.incidentId(), incident, decision, nowMillis);
            }
        }
    }

    /** A due timer goes to the stage that started it, which decides whether it still applies. */
    private Decision onDue(String key, Incident incident, Timer timer, long nowMillis) {
        if (RecoveryWatch.isRecoveryTimer(timer)) {
            return recovery.fire(timer, incident, nowMillis)
                    .map(verdict -> onRecoveryVerdict(key, incident, verdict, nowMillis))
                    .orElse(Decision.nothing());
        }
        if (RunbookRunner.isApprovalTimer(timer)) {
            return runbooks.onApprovalTimeout(key, incident, timer, nowMillis).orElse(Decision.nothing());
        }
        return escalations.fire(timer, incident, nowMillis, this::actionsTaken);
    }

    /** Recovered: resolved. Not recovered in time: the runbook that mitigated it goes on (or hands over). */
    private Decision onRecoveryVerdict(String key, Incident incident, RecoveryWatch.Verdict verdict, long nowMillis) {
        Decision found = Decision.of(verdict.resolved(), List.of(verdict.event()));
        if (!verdict.notRecovered()) {
            metrics.resolved();
            return found;
        }
        return found.then(runbooks.onNoRecovery(key, incident, nowMillis));
    }

    /**
     * The stages that follow any change of the incident's state (recovery's watch of a mitigation, the close-out
     * of an acknowledgement or resolution), then the channels its commands reach, remembered on it; then the
     * writer applies it all.
     */
    private void finish(String key, String incidentId, Incident before, Decision decision, long timestamp) {
        Decision complete = decision;
        Incident after = decision.incident();
        if (after != null) {
            long wallNow = context.currentSystemTimeMs();
            complete = complete.then(recovery.onChange(before, after, () -> runbooks.deadlineOf(key, after), wallNow))
                    .then(closeOut.of(before, after, wallNow, this::actionsTaken));
        }
        Incident known = complete.incidentOr(before);
        if (known != null && !complete.commands().isEmpty()) {
            Incident told = NotifiedChannels.withChannelsOf(known, complete.commands());
            if (told != null) {
                complete = complete.then(Decision.of(told, List.of()));
            }
        }
        writer.write(key, incidentId, before, complete, timestamp);
    }

    private List<String> actionsTaken(Incident incident) {
        return record.actions(incident.getCorrelationKey(), incident.getId());
    }
}

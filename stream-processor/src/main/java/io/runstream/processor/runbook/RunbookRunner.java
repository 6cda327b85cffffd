package io.runstream.processor.runbook;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

import org.apache.kafka.streams.state.KeyValueStore;

import io.runstream.avro.ActionCommand;
import io.runstream.avro.ActionMode;
import io.runstream.avro.ActionOutcome;
import io.runstream.avro.ActionResult;
import io.runstream.avro.ActionTarget;
import io.runstream.avro.ActionType;
import io.runstream.avro.AlertRef;
import io.runstream.avro.DeploymentEvent;
import io.runstream.avro.Incident;
import io.runstream.avro.IncidentCommand;
import io.runstream.avro.IncidentEvent;
import io.runstream.avro.IncidentEventType;
import io.runstream.avro.IncidentState;
import io.runstream.avro.RecentRolloutState;
import io.runstream.avro.RunbookProgressState;
import io.runstream.processor.correlation.Decision;
import io.runstream.processor.escalation.Episodes;
import io.runstream.processor.escalation.IncidentNotice;
import io.runstream.processor.escalation.Timer;
import io.runstream.schemas.EventIds;

/**
 * Stage 6 of DESIGN.md, per correlation key: runs every runbook whose match and context hold for an incident's
 * episode, in file order, each with its own progress. A runbook issues its steps one at a time (held for approval
 * where it says so), reads their results, marks the incident mitigated when one succeeds, moves to its next step
 * when one fails, and hands the incident to its severity's escalation chain when none is left. A failed step is
 * never retried as such.
 *
 * <p>Two runbooks never race on one target: a step that changes a target (kind/namespace/name) another runbook's
 * step is changing (issued, or held for approval) waits until that step has a final result, then goes on; a
 * change already issued in the episode (same action, target and parameters) is not issued again by another
 * runbook. Notifications and silences are not target changes.
 *
 * <p>Command ids are {@code <episode prefix>/runbook/step} ({@link Episodes#commandIdPrefix}): the same decision
 * made again (after a crash) is the same command, which a worker carries out once, and a reopened incident's new
 * episode can run the runbooks again.
 */
public final class RunbookRunner {

    /** Name prefix of the timer that expires a held step's approval; the rest is the held command's id. */
    static final String APPROVAL_TIMER = "approval.";


    private final Runbooks runbooks;
    private final KeyValueStore<String, RunbookProgressState> progress;
    private final KeyValueStore<String, RecentRolloutState> rollouts;
    private final LongSupplier wallClock;
    private final IncidentNotice notice;

    /**
     * @param wallClock the processor's wall clock: a command's expiry counts from when it is issued, which is
     *        never before now, even when the alert that caused it carries an older event time (late samples)
     */
    public RunbookRunner(Runbooks runbooks, KeyValueStore<String, RunbookProgressState> progress,
            KeyValueStore<String, RecentRolloutState> rollouts, LongSupplier wallClock) {
        this.runbooks = runbooks;
        this.progress = progress;
        this.rollouts = rollouts;
        this.wallClock = wallClock;
        this.notice = new IncidentNotice(runbooks.escalation().dashboardUrl());
    }

    /** Whether a due timer is a held step's approval timeout ({@link #onApprovalTimeout}). */
    public static boolean isApprovalTimer(Timer timer) {
        return timer.name().startsWith(APPROVAL_TIMER);
    }

    /** Remembers the latest rollout of the deployment behind {@code key}, the context "after a rollout" needs. */
    public void onRollout(String key, DeploymentEvent rollout) {
        rollouts.put(key, RecentRollouts.of(rollout));
    }

    /** After an alert changed the incident: starts every runbook that applies and has not run in this episode. */
    public Decision consider(String key, Incident incident, long nowMillis) {
        if (incident.getState() == IncidentState.RESOLVED) {
            return Decision.nothing();
        }
        Turn turn = new Turn(key, incident, nowMillis, new ArrayList<>());
        for (Runbook runbook : runbooks.runbooks()) {
            if (turn.episode.of(runbook.name()).isEmpty() && runbook.match().matches(incident)
                    && contextHolds(runbook.when(), key, incident, nowMillis)) {
                advance(turn, runbook, 0);
            }
        }
        return turn.decision();
    }

    /** An approval for a step held for it (the first in file order when it names none); empty when none waits. */
    public Optional<Decision> approve(String key, Incident incident, IncidentCommand approval, long nowMillis) {
        Turn turn = new Turn(key, incident, nowMillis, new ArrayList<>());
        Optional<RunbookProgress> waiting = inFileOrder(turn.episode).stream()
                .filter(p -> p.status() == RunbookProgress.Status.AWAITING_APPROVAL)
                .filter(p -> approval.getActionCommandId() == null
                        || approval.getActionCommandId().equals(p.commandId()))
                .findFirst();
        Runbook runbook = waiting.map(p -> runbook(p.runbook())).orElse(null);
        if (runbook == null) {
            return Optional.empty();
        }
        RunbookProgress held = waiting.get();
        turn.events.add(event(incident, IncidentEventType.APPROVED, nowMillis, held.commandId(),
                "approved by " + approval.getActor() + ": " + runbook.name() + " step "
                        + runbook.steps().get(held.step()).name(), Map.of("actor", approval.getActor())));
        issue(turn, runbook, held.step(), true);
        return Optional.of(turn.decision());
    }

    /**
     * A worker's result: on the timeline always; for a runbook's own command, it decides what comes next.
     * {@code APPLIED} (accepted, being verified) decides nothing: the final result for the same command follows.
     */
    public Decision onResult(String key, Incident incident, ActionResult result, long nowMillis) {
        List<IncidentEvent> events = new ArrayList<>();
        events.add(resultEvent(incident, result, nowMillis));
        Turn turn = new Turn(key, incident, nowMillis, events);
        Optional<RunbookProgress> running = turn.episode.runs().stream()
                .filter(p -> p.status() == RunbookProgress.Status.ISSUED && p.commandId().equals(result.getCommandId()))
                .findFirst();
        Runbook runbook = running.map(p -> runbook(p.runbook())).orElse(null);
        ActionOutcome outcome = result.getOutcome();
        if (runbook == null || outcome == ActionOutcome.APPLIED) {
            return new Decision(null, events, List.of());
        }
        RunbookProgress step = running.get();
        if (outcome == ActionOutcome.SUCCEEDED || outcome == ActionOutcome.ALREADY_APPLIED) {
            turn.put(step.with(RunbookProgress.Status.DONE));
            mitigate(turn, runbook, step);
        } else if (outcome == ActionOutcome.DRY_RUN) {
            turn.put(step.with(RunbookProgress.Status.DONE));
        } else {
            advance(turn, runbook, step.step() + 1);
        }
        resumeWaiting(turn);
        return turn.decision();
    }

    /**
     * The remediation that mitigated the incident (the runbook that finished last) did not bring it back under
     * target in time: the incident is open again and that runbook's next step runs (or it hands over).
     */
    public Decision onNoRecovery(String key, Incident incident, long nowMillis) {
        Incident reopened = Incident.newBuilder(incident)
                .setState(incident.getAcknowledgedAt() != null ? IncidentState.ACKNOWLEDGED : IncidentState.OPEN)
                .setMitigatedAt(null).setUpdatedAt(Instant.ofEpochMilli(nowMillis)).build();
        Turn turn = new Turn(key, reopened, nowMillis, new ArrayList<>());
        turn.changed = reopened;
        Optional<RunbookProgress> done = lastDone(turn.episode);
        Runbook runbook = done.map(p -> runbook(p.runbook())).orElse(null);
        if (runbook != null) {
            advance(turn, runbook, done.get().step() + 1);
            resumeWaiting(turn);
        }
        return turn.decision();
    }

    /**
     * A held step's approval timed out: it does what the step (else the file's {@code approvals}) says, skip to
     * the runbook's next step or hand the incident to its severity's chain. Empty when the step no longer waits
     * (approved, another episode, the incident resolved).
     */
    public Optional<Decision> onApprovalTimeout(String key, Incident incident, Timer timer, long nowMillis) {
        if (incident == null || !incident.getId().equals(timer.incidentId())
                || incident.getState() == IncidentState.RESOLVED) {
            return Optional.empty();
        }
        String commandId = timer.name().substring(APPROVAL_TIMER.length());
        Turn turn = new Turn(key, incident, nowMillis, new ArrayList<>());
        Optional<RunbookProgress> held = turn.episode.runs().stream()
                .filter(p -> p.status() == RunbookProgress.Status.AWAITING_APPROVAL && p.commandId().equals(commandId))
                .findFirst();
        Runbook runbook = held.map(p -> runbook(p.runbook())).orElse(null);
        if (runbook == null) {
            return Optional.empty();
        }
        RunbookStep step = runbook.steps().get(held.get().step());
        String waited = runbook.name() + " step " + step.name() + " was not approved within "
                + StepTargets.minutes(runbooks.approvals().timeoutOf(step));
        if (runbooks.approvals().onTimeoutOf(step) == Approvals.OnTimeout.SKIP) {
            turn.events.add(event(incident, IncidentEventType.RECOVERY_FAILED, nowMillis, commandId,
                    waited + ": skipped, the runbook goes on", Map.of("runbook", runbook.name(), "step", step.name(),
                            "approval", "expired", "onApprovalTimeout", "skip")));
            advance(turn, runbook, held.get().step() + 1);
        } else {
            handOver(turn, runbook, waited, Map.of("approval", "expired", "onApprovalTimeout", "escalate"));
        }
        resumeWaiting(turn);
        return Optional.of(turn.decision());
    }

    /** The recovery deadline of the step that mitigated the incident (the runbook that finished last), if set. */
    public Duration deadlineOf(String key, Incident incident) {
        Turn turn = new Turn(key, incident, 0, new ArrayList<>());
        return lastDone(turn.episode).map(p -> {
            Runbook runbook = runbook(p.runbook());
            return runbook == null || p.step() >= runbook.steps().size() ? null : runbook.steps().get(p.step()).deadline();
        }).orElse(null);
    }

    /** One decision's working state: the incident as it stands, its episode's progress, what to emit and start. */
    private final class Turn {
        final String key;
        final Incident incident;
        final long nowMillis;
        final EpisodeProgress episode;
        final List<IncidentEvent> events;
        final List<ActionCommand> commands = new ArrayList<>();
        final List<Timer> timers = new ArrayList<>();
        Incident changed;
        boolean dirty;

        Turn(String key, Incident incident, long nowMillis, List<IncidentEvent> events) {
            this.key = key;
            this.incident = incident;
            this.nowMillis = nowMillis;
            this.events = events;
            this.episode = load(key, incident);
        }

        Incident current() {
            return changed != null ? changed : incident;
        }

        void put(RunbookProgress next) {
            episode.put(next);
            dirty = true;
        }

        Decision decision() {
            if (dirty) {
                progress.put(key, episode.toState());
            }
            return new Decision(changed, events, commands, timers);
        }
    }

    /** Tries the runbook's steps from {@code from}: issues, holds, waits on a busy target, or hands over. */
    private void advance(Turn turn, Runbook runbook, int from) {
        Incident incident = turn.current();
        AlertRef alert = runbook.match().matchingAlert(incident);
        boolean covered = false;
        for (int i = from; i < runbook.steps().size(); i++) {
            RunbookStep step = runbook.steps().get(i);
            Map<String, String> subject = Map.of("runbook", runbook.name(), "step", step.name());
            String missing = firstMissing(step, incident, alert);
            if (missing != null) {
                turn.events.add(event(incident, IncidentEventType.RECOVERY_FAILED, turn.nowMillis, null, runbook.name()
                        + " step " + step.name() + " skipped: nothing to fill {{" + missing + "}} with", subject));
                continue;
            }
            String change = StepTargets.change(step, incident, alert);
            if (change != null && turn.episode.issued(change)) {
                turn.events.add(event(incident, IncidentEventType.RECOVERY_FAILED, turn.nowMillis, null, runbook.name()
                        + " step " + step.name() + " skipped: " + change + " was already issued in this episode",
                        subject));
                covered = true;
                continue;
            }
            Optional<String> busy = holderOf(turn, runbook, step, incident, alert);
            if (busy.isPresent()) {
                wait(turn, runbook, i, busy.get());
                return;
            }
            if (step.requiresApproval()) {
                hold(turn, runbook, i);
            } else {
                issue(turn, runbook, i, false);
            }
            return;
        }
        if (covered) {
            // its remediation is another runbook's, which hands over itself if it runs dry
            turn.put(new RunbookProgress(runbook.name(), runbook.steps().size(), "-", RunbookProgress.Status.EXHAUSTED));
        } else {
            handOver(turn, runbook, "runbook " + runbook.name() + " has no step left", Map.of());
        }
    }

    /** The runbooks waiting for a target, in file order, each tried again (the first gets a freed target). */
    private void resumeWaiting(Turn turn) {
        for (Runbook runbook : runbooks.runbooks()) {
            turn.episode.of(runbook.name()).filter(p -> p.status() == RunbookProgress.Status.WAITING)
                    .ifPresent(p -> advance(turn, runbook, p.step()));
        }
    }

    /** Another runbook's step changing the same target (issued or held for approval), as "runbook step s". */
    private Optional<String> holderOf(Turn turn, Runbook runbook, RunbookStep step, Incident incident, AlertRef alert) {
        if (!StepTargets.changesTarget(step.action())) {
            return Optional.empty();
        }
        String target = StepTargets.key(step, incident, alert);
        for (RunbookProgress other : turn.episode.runs()) {
            Runbook otherRunbook = runbook(other.runbook());
            if (!other.holdsTarget() || other.runbook().equals(runbook.name()) || otherRunbook == null
                    || other.step() >= otherRunbook.steps().size()) {
                continue;
            }
            RunbookStep busy = otherRunbook.steps().get(other.step());
            if (StepTargets.changesTarget(busy.action())
                    && target.equals(StepTargets.key(busy, incident, otherRunbook.match().matchingAlert(incident)))) {
                return Optional.of(otherRunbook.name() + " step " + busy.name());
            }
        }
        return Optional.empty();
    }

    private void wait(Turn turn, Runbook runbook, int stepIndex, String holder) {
        RunbookStep step = runbook.steps().get(stepIndex);
        boolean alreadyWaiting = turn.episode.of(runbook.name())
                .filter(p -> p.status() == RunbookProgress.Status.WAITING && p.step() == stepIndex).isPresent();
        turn.put(new RunbookProgress(runbook.name(), stepIndex, "-", RunbookProgress.Status.WAITING));
        if (!alreadyWaiting) {
            Incident incident = turn.current();
            turn.events.add(event(incident, IncidentEventType.COMMENTED, turn.nowMillis, null, runbook.name()
                    + " step " + step.name() + " waits: " + holder + " is changing "
                    + StepTargets.key(step, incident, runbook.match().matchingAlert(incident)),
                    Map.of("runbook", runbook.name(), "step", step.name(), "waitsFor", holder, "by", "runstream")));
        }
    }

    /** Holds the step for a person: tells the approvers' channel and starts the approval's timeout. */
    private void hold(Turn turn, Runbook runbook, int stepIndex) {
        Incident incident = turn.current();
        RunbookStep step = runbook.steps().get(stepIndex);
        String commandId = commandId(incident, runbook, step);
        turn.put(new RunbookProgress(runbook.name(), stepIndex, commandId, RunbookProgress.Status.AWAITING_APPROVAL));
        Approvals approvals = runbooks.approvals();
        Duration timeout = approvals.timeoutOf(step);
        String onTimeout = approvals.onTimeoutOf(step) == Approvals.OnTimeout.SKIP ? "skipped"
                : "handed over to the " + incident.getSeverity() + " escalation chain";
        String what = StepTargets.describe(step, incident, runbook.match().matchingAlert(incident));
        turn.events.add(event(incident, IncidentEventType.ACTION_AWAITING_APPROVAL, turn.nowMillis, commandId,
                runbook.name() + " step " + step.name() + " (" + step.action() + ") awaits approval for "
                        + StepTargets.minutes(timeout) + ", then it is " + onTimeout,
                Map.of("runbook", runbook.name(), "step", step.name(), "approvalTimeout", timeout.toString(),
                        "onApprovalTimeout", approvals.onTimeoutOf(step).name().toLowerCase(Locale.ROOT),
                        "asked", approvals.channelKind() + "/" + approvals.channel())));
        turn.commands.add(approvalRequest(incident, runbook, step, commandId, what, timeout, onTimeout,
                turn.nowMillis));
        // wall-clock time, as escalation's: the approval expires while no alert arrives at all
        turn.timers.add(new Timer(wallClock.getAsLong() + timeout.toMillis(), incident.getId(),
                APPROVAL_TIMER + commandId, turn.key));
    }

    private ActionCommand approvalRequest(Incident incident, Runbook runbook, RunbookStep step, String commandId,
            String what, Duration timeout, String onTimeout, long nowMillis) {
        Approvals approvals = runbooks.approvals();
        Map<String, String> parameters = new HashMap<>(notice.parameters(incident, "update", null, List.of()));
        parameters.put("title", "Approval needed: " + runbook.name() + " step " + step.name() + " for "
                + incident.getTitle());
        parameters.put("summary", "Runstream would run " + what + " (" + runbook.name() + ": "
                + (runbook.description().isEmpty() ? step.name() : runbook.description()) + "). Approve with `runstream approve "
                + incident.getId() + " " + step.name() + "`, POST /api/v1/incidents/" + incident.getId()
                + "/approve (actionCommandId " + commandId + "), or the dashboard. Not approved within "
                + StepTargets.minutes(timeout) + ": " + onTimeout + ".");
        long issuedAt = issuedAt(nowMillis);
        return ActionCommand.newBuilder()
                .setCommandId(commandId + "/approval-request")
                .setIncidentId(incident.getId())
                // the worker copies it onto the result, which comes back to this key's task by it alone
                .setCorrelationKey(incident.getCorrelationKey())
                .setType(ActionType.NOTIFY)
                .setTarget(ActionTarget.newBuilder().setKind(approvals.channelKind()).setName(approvals.channel()).build())
                .setParameters(parameters)
                .setMode(ActionMode.ENFORCE)
                .setRunbook(runbook.name() + "#" + step.name() + "/approval")
                .setReason("approval needed: " + what)
                .setIssuedAt(Instant.ofEpochMilli(issuedAt))
                .setExpiresAt(Instant.ofEpochMilli(issuedAt + runbooks.escalation().commandTtl().toMillis()))
                .build();
    }

    private void issue(Turn turn, Runbook runbook, int stepIndex, boolean approved) {
        Incident incident = turn.current();
        RunbookStep step = runbook.steps().get(stepIndex);
        AlertRef alert = runbook.match().matchingAlert(incident);
        long issuedAt = issuedAt(turn.nowMillis);
        ActionCommand command = ActionCommand.newBuilder()
                .setCommandId(commandId(incident, runbook, step))
                .setIncidentId(incident.getId())
                // the worker copies it onto the result, which comes back to this key's task by it alone
                .setCorrelationKey(incident.getCorrelationKey())
                .setType(step.action())
                .setTarget(StepTargets.target(step, incident, alert))
                .setParameters(StepTemplates.render(step.parameters(), incident, alert).orElse(Map.of()))
                .setMode(runbooks.modeOf(step))
                .setRunbook(runbook.name() + "#" + step.name())
                .setReason(runbook.name() + ": " + (runbook.description().isEmpty() ? step.name()
                        : runbook.description()) + (approved ? " (approved)" : ""))
                .setIssuedAt(Instant.ofEpochMilli(issuedAt))
                .setExpiresAt(Instant.ofEpochMilli(issuedAt + step.expiresAfter().toMillis()))
                .build();
        turn.put(new RunbookProgress(runbook.name(), stepIndex, command.getCommandId(),
                RunbookProgress.Status.ISSUED));
        String change = StepTargets.change(step, incident, alert);
        if (change != null) {
            turn.episode.recordIssued(change);
        }
        turn.events.add(event(incident, IncidentEventType.ACTION_ISSUED, turn.nowMillis, command.getCommandId(),
                runbook.name() + " step " + step.name() + ": " + step.action() + " " + command.getTarget().getKind()
                        + " " + (command.getTarget().getNamespace() == null ? "" : command.getTarget().getNamespace()
                        + "/") + command.getTarget().getName() + (command.getMode() == ActionMode.DRY_RUN ? " (dry run)" : ""),
                Map.of("runbook", runbook.name(), "step", step.name(), "action", step.action().name())));
        turn.commands.add(command);
    }

    private void mitigate(Turn turn, Runbook runbook, RunbookProgress step) {
        Incident current = turn.current();
        if (current.getState() == IncidentState.RESOLVED || current.getMitigatedAt() != null) {
            return;
        }
        Incident next = Incident.newBuilder(current).setState(IncidentState.MITIGATED)
                .setMitigatedAt(Instant.ofEpochMilli(turn.nowMillis)).setUpdatedAt(Instant.ofEpochMilli(turn.nowMillis))
                .build();
        turn.changed = next;
        turn.events.add(event(next, IncidentEventType.MITIGATED, turn.nowMillis, step.commandId(),
                "mitigated by " + runbook.name() + " step " + runbook.steps().get(step.step()).name()
                        + "; resolves when its alerts do", Map.of()));
    }

    /**
     * Runbook 001, "Escalation Decision Tree": who is paged follows severity (P3: no immediate page), so a runbook
     * that ran dry hands the incident to its severity's chain, which runs since it opened, not to a page.
     */
    private void handOver(Turn turn, Runbook runbook, String why, Map<String, String> extra) {
        Incident incident = turn.current();
        turn.put(new RunbookProgress(runbook.name(), runbook.steps().size(), "-", RunbookProgress.Status.EXHAUSTED));
        Map<String, String> details = new HashMap<>(extra);
        details.put("runbook", runbook.name());
        details.put("handedOverTo", "escalation/" + incident.getSeverity());
        turn.events.add(event(incident, IncidentEventType.ESCALATED, turn.nowMillis, null, why
                + ": handed over to the " + incident.getSeverity() + " escalation chain", details));
    }

    /**
     * When a command is issued: now by the wall clock, or the event time that caused it when that is later (a
     * clock behind the samples must not shorten a command's life either).
     */
    private long issuedAt(long eventMillis) {
        return Math.max(eventMillis, wallClock.getAsLong());
    }

    private boolean contextHolds(RunbookCondition when, String key, Incident incident, long nowMillis) {
        if (when.recentRollout() != null) {
            RecentRolloutState rollout = rollouts.get(key);
            if (rollout == null
                    || nowMillis - rollout.getRolledOutAt().toEpochMilli() > when.recentRollout().toMillis()) {
                return false;
            }
        }
        if (when.errorRateAbove() != null
                && (incident.getErrorRate() == null || incident.getErrorRate() <= when.errorRateAbove())) {
            return false;
        }
        return when.latencyP95Above() == null
                || incident.getLatencyP95Seconds() != null && incident.getLatencyP95Seconds() > when.latencyP95Above();
    }

    /** The stored progress of the incident's current episode; empty for another incident or episode. */
    private EpisodeProgress load(String key, Incident incident) {
        int episode = Episodes.number(incident);
        RunbookProgressState stored = progress.get(key);
        EpisodeProgress found = stored == null ? null : EpisodeProgress.fromState(stored, episode);
        return found != null && found.incidentId().equals(incident.getId()) && found.episode() == episode ? found
                : EpisodeProgress.empty(incident.getId(), episode);
    }

    private List<RunbookProgress> inFileOrder(EpisodeProgress episode) {
        List<String> order = runbooks.runbooks().stream().map(Runbook::name).toList();
        return episode.runs().stream().sorted(Comparator.comparingInt(p -> order.indexOf(p.runbook()))).toList();
    }

    private static Optional<RunbookProgress> lastDone(EpisodeProgress episode) {
        List<RunbookProgress> runs = episode.runs();
        for (int i = runs.size() - 1; i >= 0; i--) {
            if (runs.get(i).status() == RunbookProgress.Status.DONE) {
                return Optional.of(runs.get(i));
            }
        }
        return Optional.empty();
    }

    private Runbook runbook(String name) {
        return runbooks.runbooks().stream().filter(r -> r.name().equals(name)).findFirst().orElse(null);
    }

    private static String firstMissing(RunbookStep step, Incident incident, AlertRef alert) {
        List<String> templates = new ArrayList<>(step.parameters().values());
        templates.add(step.targetName());
        if (step.targetNamespace() != null) {
            templates.add(step.targetNamespace());
        }
        for (String template : templates) {
            String missing = StepTemplates.missing(template, incident, alert);
            if (missing != null) {
                return missing;
            }
        }
        return null;
    }

    private static String commandId(Incident incident, Runbook runbook, RunbookStep step) {
        return Episodes.commandIdPrefix(incident) + "/" + runbook.name() + "/" + step.name();
    }

    private static IncidentEvent resultEvent(Incident incident, ActionResult result, long nowMillis) {
        Map<String, String> details = new HashMap<>();
        details.put("outcome", result.getOutcome().name());
        if (result.getReasonCode() != null) {
            details.put("reasonCode", result.getReasonCode());
        }
        result.getBefore().forEach((k, v) -> details.put("before." + k, v));
        result.getAfter().forEach((k, v) -> details.put("after." + k, v));
        IncidentEvent event = event(incident, IncidentEventType.ACTION_RESULT, nowMillis, result.getCommandId(),
                result.getType() + " " + result.getOutcome() + ": " + result.getMessage(), details);
        // A command's APPLIED and its final result can come in the same millisecond: the outcome tells them apart.
        event.setEventId(EventIds.of(incident.getId(), nowMillis, IncidentEventType.ACTION_RESULT,
                result.getCommandId(), result.getOutcome().name()));
        return event;
    }

    /** An entry; its id names the command, else the runbook step it is about, so one decision's entries differ. */
    private static IncidentEvent event(Incident incident, IncidentEventType type, long nowMillis, String commandId,
            String message, Map<String, String> details) {
        String[] about = commandId != null ? new String[] {commandId}
                : details.containsKey("step") ? new String[] {details.get("runbook"), details.get("step")}
                : new String[0];
        return IncidentEvent.newBuilder()
                .setEventId(EventIds.of(incident.getId(), nowMillis, type, about))
                .setIncidentId(incident.getId())
                .setType(type)
                .setAt(Instant.ofEpochMilli(nowMillis))
                .setMessage(message)
                .setSeverity(incident.getSeverity())
                .setActionCommandId(commandId)
                .setDetails(Map.copyOf(details))
                .build();
    }
}

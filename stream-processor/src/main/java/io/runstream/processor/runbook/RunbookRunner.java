package io.runstream.processor.runbook;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

import org.apache.kafka.streams.state.KeyValueStore;

import io.runstream.avro.ActionCommand;
import io.runstream.avro.ActionMode;
import io.runstream.avro.ActionOutcome;
import io.runstream.avro.ActionResult;
import io.runstream.avro.ActionTarget;
import io.runstream.avro.AlertRef;
import io.runstream.avro.DeploymentEvent;
import io.runstream.avro.Incident;
import io.runstream.avro.IncidentCommand;
import io.runstream.avro.IncidentEvent;
import io.runstream.avro.IncidentEventType;
import io.runstream.avro.IncidentState;

/**
 * Stage 6 of DESIGN.md, per correlation key: picks the first runbook whose match and context hold for an
 * incident, issues its steps one at a time (held for approval where the runbook says so), reads their results,
 * marks the incident mitigated when one succeeds, moves to the next step when one fails, and hands the incident
 * to its severity's escalation chain when none is left. A failed step is never retried as such. Command ids are
 * {@code incidentId/runbook/step}: the same decision made again (after a crash) is the same command, which a
 * worker carries out once.
 */
public final class RunbookRunner {

    private final Runbooks runbooks;
    private final KeyValueStore<String, String> progress;
    private final KeyValueStore<String, String> rollouts;
    private final LongSupplier wallClock;

    /**
     * @param wallClock the processor's wall clock: a command's expiry counts from when it is issued, which is
     *        never before now, even when the alert that caused it carries an older event time (late samples)
     */
    public RunbookRunner(Runbooks runbooks, KeyValueStore<String, String> progress,
            KeyValueStore<String, String> rollouts, LongSupplier wallClock) {
        this.runbooks = runbooks;
        this.progress = progress;
        this.rollouts = rollouts;
        this.wallClock = wallClock;
    }

    /** Remembers the latest rollout of the deployment behind {@code key}, the context "after a rollout" needs. */
    public void onRollout(String key, DeploymentEvent rollout) {
        rollouts.put(key, Long.toString(rollout.getRolledOutAt().toEpochMilli()));
    }

    /** After an alert changed the incident: starts a runbook if none runs for it yet and one applies. */
    public Decision consider(String key, Incident incident, long nowMillis) {
        if (incident.getState() == IncidentState.RESOLVED || current(key, incident).isPresent()) {
            return Decision.nothing();
        }
        for (Runbook runbook : runbooks.runbooks()) {
            if (runbook.match().matches(incident) && contextHolds(runbook.when(), key, incident, nowMillis)) {
                return start(key, incident, runbook, 0, nowMillis, new ArrayList<>());
            }
        }
        return Decision.nothing();
    }

    /** An approval for the step the incident's runbook holds; empty when nothing waits (the caller rejects). */
    public Optional<Decision> approve(String key, Incident incident, IncidentCommand approval, long nowMillis) {
        Optional<RunbookProgress> waiting = current(key, incident)
                .filter(p -> p.status() == RunbookProgress.Status.AWAITING_APPROVAL)
                .filter(p -> approval.getActionCommandId() == null
                        || approval.getActionCommandId().equals(p.commandId()));
        if (waiting.isEmpty()) {
            return Optional.empty();
        }
        RunbookProgress held = waiting.get();
        Runbook runbook = runbook(held.runbook());
        if (runbook == null) {
            return Optional.empty();
        }
        List<IncidentEvent> events = new ArrayList<>();
        events.add(event(incident, IncidentEventType.APPROVED, nowMillis, held.commandId(),
                "approved by " + approval.getActor() + ": " + runbook.name() + " step "
                        + runbook.steps().get(held.step()).name(), Map.of("actor", approval.getActor())));
        return Optional.of(issue(key, incident, runbook, held.step(), nowMillis, events, true));
    }

    /** A worker's result: on the timeline always; for the runbook's own command, it decides what comes next. */
    public Decision onResult(String key, Incident incident, ActionResult result, long nowMillis) {
        List<IncidentEvent> events = new ArrayList<>();
        events.add(resultEvent(incident, result, nowMillis));
        Optional<RunbookProgress> running = current(key, incident)
                .filter(p -> p.status() == RunbookProgress.Status.ISSUED && p.commandId().equals(result.getCommandId()));
        Runbook runbook = running.map(p -> runbook(p.runbook())).orElse(null);
        if (running.isEmpty() || runbook == null) {
            return new Decision(null, events, List.of());
        }
        RunbookProgress step = running.get();
        ActionOutcome outcome = result.getOutcome();
        if (outcome == ActionOutcome.SUCCEEDED || outcome == ActionOutcome.ALREADY_APPLIED) {
            progress.put(key, step.with(RunbookProgress.Status.DONE).encode());
            Incident next = Incident.newBuilder(incident).build();
            if (next.getState() != IncidentState.RESOLVED && next.getMitigatedAt() == null) {
                next.setState(IncidentState.MITIGATED);
                next.setMitigatedAt(Instant.ofEpochMilli(nowMillis));
                next.setUpdatedAt(Instant.ofEpochMilli(nowMillis));
                events.add(event(next, IncidentEventType.MITIGATED, nowMillis, step.commandId(),
                        "mitigated by " + runbook.name() + " step " + runbook.steps().get(step.step()).name()
                                + "; resolves when its alerts do", Map.of()));
                return new Decision(next, events, List.of());
            }
            return new Decision(null, events, List.of());
        }
        if (outcome == ActionOutcome.DRY_RUN) {
            progress.put(key, step.with(RunbookProgress.Status.DONE).encode());
            return new Decision(null, events, List.of());
        }
        return start(key, incident, runbook, step.step() + 1, nowMillis, events);
    }

    /**
     * The remediation that mitigated the incident did not bring it back under target in time: the incident is
     * open again and the runbook's next step runs (or a person is paged when none is left).
     */
    public Decision onNoRecovery(String key, Incident incident, long nowMillis) {
        Optional<RunbookProgress> done = current(key, incident).filter(p -> p.status() == RunbookProgress.Status.DONE);
        Runbook runbook = done.map(p -> runbook(p.runbook())).orElse(null);
        Incident reopened = Incident.newBuilder(incident)
                .setState(incident.getAcknowledgedAt() != null ? IncidentState.ACKNOWLEDGED : IncidentState.OPEN)
                .setMitigatedAt(null).setUpdatedAt(Instant.ofEpochMilli(nowMillis)).build();
        if (runbook == null) {
            return new Decision(reopened, List.of(), List.of());
        }
        Decision next = start(key, reopened, runbook, done.get().step() + 1, nowMillis, new ArrayList<>());
        return new Decision(reopened, next.events(), next.commands());
    }

    /** The recovery deadline of the step that mitigated the incident, if that step sets one. */
    public java.time.Duration deadlineOf(String key, Incident incident) {
        return current(key, incident).map(p -> {
            Runbook runbook = runbook(p.runbook());
            return runbook == null || p.step() >= runbook.steps().size() ? null : runbook.steps().get(p.step()).deadline();
        }).orElse(null);
    }

    private Decision start(String key, Incident incident, Runbook runbook, int stepIndex, long nowMillis,
            List<IncidentEvent> events) {
        for (int i = stepIndex; i < runbook.steps().size(); i++) {
            RunbookStep step = runbook.steps().get(i);
            AlertRef alert = runbook.match().matchingAlert(incident);
            String missing = firstMissing(step, incident, alert);
            if (missing != null) {
                events.add(event(incident, IncidentEventType.RECOVERY_FAILED, nowMillis, null, runbook.name()
                        + " step " + step.name() + " skipped: nothing to fill {{" + missing + "}} with",
                        Map.of("runbook", runbook.name(), "step", step.name())));
                continue;
            }
            if (step.requiresApproval()) {
                String commandId = commandId(incident, runbook, step);
                progress.put(key, new RunbookProgress(incident.getId(), runbook.name(), i, commandId,
                        RunbookProgress.Status.AWAITING_APPROVAL).encode());
                events.add(event(incident, IncidentEventType.ACTION_AWAITING_APPROVAL, nowMillis, commandId,
                        runbook.name() + " step " + step.name() + " (" + step.action() + ") awaits approval",
                        Map.of("runbook", runbook.name(), "step", step.name())));
                return new Decision(null, events, List.of());
            }
            return issue(key, incident, runbook, i, nowMillis, events, false);
        }
        progress.put(key, new RunbookProgress(incident.getId(), runbook.name(), runbook.steps().size(), "-",
                RunbookProgress.Status.EXHAUSTED).encode());
        // Runbook 001, "Escalation Decision Tree": who is paged follows severity (P3: no immediate page), so an
        // exhausted runbook hands the incident to its severity's chain, which runs since it opened, not to a page.
        events.add(event(incident, IncidentEventType.ESCALATED, nowMillis, null, "runbook " + runbook.name()
                + " has no step left: handed over to the " + incident.getSeverity() + " escalation chain",
                Map.of("runbook", runbook.name(), "handedOverTo", "escalation/" + incident.getSeverity())));
        return new Decision(null, events, List.of());
    }

    private Decision issue(String key, Incident incident, Runbook runbook, int stepIndex, long nowMillis,
            List<IncidentEvent> events, boolean approved) {
        RunbookStep step = runbook.steps().get(stepIndex);
        AlertRef alert = runbook.match().matchingAlert(incident);
        long issuedAt = issuedAt(nowMillis);
        ActionCommand command = ActionCommand.newBuilder()
                .setCommandId(commandId(incident, runbook, step))
                .setIncidentId(incident.getId())
                .setType(step.action())
                .setTarget(ActionTarget.newBuilder()
                        .setKind(step.targetKind())
                        .setNamespace(StepTemplates.render(step.targetNamespace(), incident, alert).orElse(null))
                        .setName(StepTemplates.render(step.targetName(), incident, alert).orElse(step.targetName()))
                        .setContainer(step.container())
                        .build())
                .setParameters(StepTemplates.render(step.parameters(), incident, alert).orElse(Map.of()))
                .setMode(runbooks.modeOf(step))
                .setRunbook(runbook.name() + "#" + step.name())
                .setReason(runbook.name() + ": " + (runbook.description().isEmpty() ? step.name()
                        : runbook.description()) + (approved ? " (approved)" : ""))
                .setIssuedAt(Instant.ofEpochMilli(issuedAt))
                .setExpiresAt(Instant.ofEpochMilli(issuedAt + step.expiresAfter().toMillis()))
                .build();
        progress.put(key, new RunbookProgress(incident.getId(), runbook.name(), stepIndex, command.getCommandId(),
                RunbookProgress.Status.ISSUED).encode());
        events.add(event(incident, IncidentEventType.ACTION_ISSUED, nowMillis, command.getCommandId(),
                runbook.name() + " step " + step.name() + ": " + step.action() + " " + command.getTarget().getKind()
                        + " " + (command.getTarget().getNamespace() == null ? "" : command.getTarget().getNamespace()
                        + "/") + command.getTarget().getName() + (command.getMode() == ActionMode.DRY_RUN ? " (dry run)" : ""),
                Map.of("runbook", runbook.name(), "step", step.name(), "action", step.action().name())));
        return new Decision(null, events, List.of(command));
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
            String rolledOutAt = rollouts.get(key);
            if (rolledOutAt == null || nowMillis - Long.parseLong(rolledOutAt) > when.recentRollout().toMillis()) {
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

    private Optional<RunbookProgress> current(String key, Incident incident) {
        String stored = progress.get(key);
        return Optional.ofNullable(stored).map(RunbookProgress::decode)
                .filter(p -> p.incidentId().equals(incident.getId()));
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
        return incident.getId() + "/" + runbook.name() + "/" + step.name();
    }

    private static IncidentEvent resultEvent(Incident incident, ActionResult result, long nowMillis) {
        Map<String, String> details = new HashMap<>();
        details.put("outcome", result.getOutcome().name());
        if (result.getReasonCode() != null) {
            details.put("reasonCode", result.getReasonCode());
        }
        result.getBefore().forEach((k, v) -> details.put("before." + k, v));
        result.getAfter().forEach((k, v) -> details.put("after." + k, v));
        return event(incident, IncidentEventType.ACTION_RESULT, nowMillis, result.getCommandId(),
                result.getType() + " " + result.getOutcome() + ": " + result.getMessage(), details);
    }

    private static IncidentEvent event(Incident incident, IncidentEventType type, long nowMillis, String commandId,
            String message, Map<String, String> details) {
        return IncidentEvent.newBuilder()
                .setEventId(incident.getId() + "/" + nowMillis + "/" + type + (commandId == null ? "" : "/" + commandId))
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

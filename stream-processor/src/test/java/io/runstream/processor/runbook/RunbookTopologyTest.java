package io.runstream.processor.runbook;

import static io.runstream.processor.TopologyFixture.T0;
import static io.runstream.processor.TopologyFixture.firing;
import static io.runstream.processor.TopologyFixture.resolved;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.runstream.avro.ActionCommand;
import io.runstream.avro.ActionMode;
import io.runstream.avro.ActionOutcome;
import io.runstream.avro.ActionResult;
import io.runstream.avro.ActionType;
import io.runstream.avro.Alert;
import io.runstream.avro.DeploymentEvent;
import io.runstream.avro.Incident;
import io.runstream.avro.IncidentCommandType;
import io.runstream.avro.IncidentEvent;
import io.runstream.avro.IncidentEventType;
import io.runstream.avro.IncidentState;
import io.runstream.processor.TopologyFixture;
import io.runstream.processor.rules.RunbooksFiles;

class RunbookTopologyTest {

    private static final Alert ERRORS = firing("f-errors", "HighErrorRate", "critical", "inference-gateway",
            Map.of("kind", "error_ratio", "value", "0.12"));

    private TopologyFixture pipeline = new TopologyFixture();

    @AfterEach
    void close() {
        pipeline.close();
    }

    @Test
    void rollsBackADeploymentThatRolledOutShortlyBeforeItsErrorRateRose() {
        rolledOut("inference-gateway", Duration.ofMinutes(-10));

        pipeline.send(ERRORS, Duration.ZERO);

        ActionCommand rollback = remediations().get(0);
        assertThat(rollback.getType()).isEqualTo(ActionType.ROLLOUT_UNDO);
        assertThat(rollback.getTarget().getKind()).isEqualTo("Deployment");
        assertThat(rollback.getTarget().getNamespace()).isEqualTo("ml-prod");
        assertThat(rollback.getTarget().getName()).isEqualTo("inference-gateway");
        assertThat(rollback.getCommandId()).matches("INC-[0-9A-F]{12}/rollback-after-rollout/rollback");
        assertThat(rollback.getMode()).isEqualTo(ActionMode.ENFORCE);
        assertThat(rollback.getExpiresAt()).isEqualTo(T0.plus(Duration.ofMinutes(10)));
        assertThat(types()).contains(IncidentEventType.ACTION_ISSUED);
    }

    @Test
    void aStepAppliedButNotYetVerifiedStaysRunningUntilItsFinalResult() {
        rolledOut("inference-gateway", Duration.ofMinutes(-10));
        pipeline.send(ERRORS, Duration.ZERO);
        ActionCommand rollback = remediations().get(0);
        pipeline.incidentEvents.readValuesToList();

        // when: the worker accepted the undo and watches the rollout
        result(rollback, ActionOutcome.APPLIED, Duration.ofMinutes(1));

        // then: on the timeline, and nothing else happens
        assertThat(pipeline.incidentEvents.readValuesToList()).singleElement().satisfies(e -> {
            assertThat(e.getType()).isEqualTo(IncidentEventType.ACTION_RESULT);
            assertThat(e.getDetails()).containsEntry("outcome", "APPLIED");
        });
        assertThat(pipeline.actionCommands.readValuesToList()).isEmpty();
        // the final result decides: the rollout completed at +3 min
        result(rollback, ActionOutcome.SUCCEEDED, Duration.ofMinutes(3));
        assertThat(lastIncident().getMitigatedAt()).isEqualTo(T0.plus(Duration.ofMinutes(3)));
    }

    @Test
    void anAppliedAndAFinalResultInTheSameMillisecondAreTwoTimelineEntries() {
        // runbook 001, Mitigation: a rollback that completes at once is reported APPLIED and SUCCEEDED together
        rolledOut("inference-gateway", Duration.ofMinutes(-10));
        pipeline.send(ERRORS, Duration.ZERO);
        ActionCommand rollback = remediations().get(0);
        pipeline.incidentEvents.readValuesToList();

        result(rollback, ActionOutcome.APPLIED, Duration.ofMinutes(1));
        result(rollback, ActionOutcome.SUCCEEDED, Duration.ofMinutes(1));

        // readers keep one entry per event id (timeline, inbox): the two results must not share one
        assertThat(pipeline.incidentEvents.readValuesToList())
                .filteredOn(event -> event.getType() == IncidentEventType.ACTION_RESULT)
                .extracting(IncidentEvent::getEventId).hasSize(2).doesNotHaveDuplicates();
    }

    @Test
    void aStepAppliedWhoseRolloutThenFailedGivesWayToTheNextStep() {
        rolledOut("inference-gateway", Duration.ofMinutes(-10));
        pipeline.send(ERRORS, Duration.ZERO);
        ActionCommand rollback = remediations().get(0);
        result(rollback, ActionOutcome.APPLIED, Duration.ofMinutes(1));

        result(rollback, ActionOutcome.FAILED, Duration.ofMinutes(4));

        assertThat(remediations()).extracting(ActionCommand::getType).containsExactly(ActionType.ROLLOUT_RESTART);
    }

    @Test
    void countsACommandsExpiryFromWhenItIsIssuedWhenItsAlertCameFromLateSamples() {
        // given: a rollout, then samples that reach detection half an hour late (Prometheus catching up)
        rolledOut("inference-gateway", Duration.ofMinutes(-40));

        // when: the alert's event time is T0 - 30 min while the processor's wall clock reads T0
        pipeline.send(ERRORS, Duration.ofMinutes(-30));

        // then: the worker gets its ten minutes from now, not a command that expired twenty minutes ago
        ActionCommand rollback = remediations().get(0);
        assertThat(rollback.getIssuedAt()).isEqualTo(T0);
        assertThat(rollback.getExpiresAt()).isEqualTo(T0.plus(Duration.ofMinutes(10)));
    }

    @Test
    void marksTheIncidentMitigatedWhenTheRollbackSucceedsAndResolvedAfterRecoveryHeldTenMinutes() {
        rolledOut("inference-gateway", Duration.ofMinutes(-10));
        pipeline.send(ERRORS, Duration.ZERO);
        ActionCommand rollback = remediations().get(0);

        result(rollback, ActionOutcome.SUCCEEDED, Duration.ofMinutes(1));
        Incident mitigated = lastIncident();
        assertThat(mitigated.getState()).isEqualTo(IncidentState.MITIGATED);
        assertThat(mitigated.getMitigatedAt()).isEqualTo(T0.plus(Duration.ofMinutes(1)));
        List<IncidentEvent> events = pipeline.incidentEvents.readValuesToList();
        IncidentEvent outcome = events.stream().filter(e -> e.getType() == IncidentEventType.ACTION_RESULT)
                .findFirst().orElseThrow();
        assertThat(outcome.getDetails()).containsEntry("outcome", "SUCCEEDED").containsEntry("before.revision", "7")
                .containsEntry("after.revision", "6");
        assertThat(events).extracting(IncidentEvent::getType).contains(IncidentEventType.MITIGATED);

        pipeline.send(resolved(ERRORS), Duration.ofMinutes(4));
        assertThat(lastIncident().getState()).isEqualTo(IncidentState.MITIGATED);
        pipeline.incidentEvents.readValuesToList();

        pipeline.driver.advanceWallClockTime(Duration.ofMinutes(10).plusSeconds(1));

        Incident resolved = lastIncident();
        assertThat(resolved.getState()).isEqualTo(IncidentState.RESOLVED);
        assertThat(resolved.getResolvedBy()).isEqualTo("recovery");
        IncidentEvent record = pipeline.incidentEvents.readValuesToList().stream()
                .filter(e -> e.getType() == IncidentEventType.RESOLVED).findFirst().orElseThrow();
        assertThat(record.getDetails()).containsEntry("timeToMitigate", "PT1M").containsKey("timeToResolve")
                .containsEntry("resolvedBy", "recovery");
        // The post-incident record: the whole timeline and the actions with their outcomes.
        assertThat(record.getDetails().get("timeline")).contains(" OPENED ", " ACTION_ISSUED ", " ACTION_RESULT ",
                " MITIGATED ", " ALERT_RESOLVED ", " RESOLVED ");
        assertThat(record.getDetails().get("actions")).contains("ACTION_ISSUED rollback-after-rollout step rollback")
                .contains("ACTION_RESULT ROLLOUT_UNDO SUCCEEDED").doesNotContain(" OPENED ");
    }

    @Test
    void aMitigatedIncidentThatReopensEscalatesAsUnmitigatedAgain() {
        // given: rolled back, mitigated, then resolved once recovery held
        rolledOut("inference-gateway", Duration.ofMinutes(-10));
        pipeline.send(ERRORS, Duration.ZERO);
        result(remediations().get(0), ActionOutcome.SUCCEEDED, Duration.ofMinutes(1));
        pipeline.send(resolved(ERRORS), Duration.ofMinutes(4));
        pipeline.driver.advanceWallClockTime(Duration.ofMinutes(10).plusSeconds(1));
        assertThat(lastIncident().getState()).isEqualTo(IncidentState.RESOLVED);
        pipeline.actionCommands.readValuesToList();

        // when: the errors return inside the reopen window
        pipeline.send(ERRORS, Duration.ofMinutes(16));
        pipeline.driver.advanceWallClockTime(Duration.ofMinutes(5).plusSeconds(1));

        // then: the last episode's mitigation ended with it: the tech lead is paged after 5 min "if not improving"
        // (runbook 001, "Escalation Decision Tree")
        Incident reopened = lastIncident();
        assertThat(reopened.getReopenCount()).isEqualTo(1);
        assertThat(reopened.getMitigatedAt()).isNull();
        assertThat(pipeline.actionCommands.readValuesToList()).extracting(ActionCommand::getCommandId)
                .contains(reopened.getId() + "/reopen-1/escalation/page-tech-lead");
    }

    @Test
    void anAlertThatFiresAgainDuringTheHoldKeepsTheIncidentOpen() {
        rolledOut("inference-gateway", Duration.ofMinutes(-10));
        pipeline.send(ERRORS, Duration.ZERO);
        result(remediations().get(0), ActionOutcome.SUCCEEDED, Duration.ofMinutes(1));
        pipeline.send(resolved(ERRORS), Duration.ofMinutes(4));
        pipeline.driver.advanceWallClockTime(Duration.ofMinutes(5));

        pipeline.send(ERRORS, Duration.ofMinutes(9));
        pipeline.driver.advanceWallClockTime(Duration.ofMinutes(6));

        assertThat(lastIncident().getState()).isEqualTo(IncidentState.MITIGATED);
    }

    @Test
    void triesTheNextStepWhenTheRemediationDidNotBringTheServiceBackInTime() {
        rolledOut("inference-gateway", Duration.ofMinutes(-10));
        pipeline.send(ERRORS, Duration.ZERO);
        result(remediations().get(0), ActionOutcome.SUCCEEDED, Duration.ofMinutes(1));

        pipeline.driver.advanceWallClockTime(Duration.ofMinutes(15).plusSeconds(1));

        assertThat(remediations()).extracting(ActionCommand::getType).containsExactly(ActionType.ROLLOUT_RESTART);
        assertThat(types()).contains(IncidentEventType.RECOVERY_FAILED, IncidentEventType.ACTION_ISSUED);
        Incident reopened = lastIncident();
        assertThat(reopened.getState()).isEqualTo(IncidentState.OPEN);
        assertThat(reopened.getMitigatedAt()).isNull();
    }

    @Test
    void aStepsOwnDeadlineOverridesTheRecoveryDeadline() {
        pipeline.close();
        pipeline = new TopologyFixture(RunbooksFiles.parse("runbooks.yaml", """
                recovery: {hold: 10m, deadline: 15m}
                runbooks:
                  - name: quick-rollback
                    match: {alerts: [HighErrorRate]}
                    steps:
                      - name: rollback
                        action: ROLLOUT_UNDO
                        target: {kind: Deployment, namespace: "{{namespace}}", name: "{{service}}"}
                        deadline: 3m
                      - name: restart
                        action: ROLLOUT_RESTART
                        target: {kind: Deployment, namespace: "{{namespace}}", name: "{{service}}"}
                """));
        pipeline.send(ERRORS, Duration.ZERO);
        result(remediations().get(0), ActionOutcome.SUCCEEDED, Duration.ofMinutes(1));

        pipeline.driver.advanceWallClockTime(Duration.ofMinutes(3).plusSeconds(1));

        assertThat(remediations()).extracting(ActionCommand::getType).containsExactly(ActionType.ROLLOUT_RESTART);
    }

    @Test
    void doesNotRollBackAP2ErrorRateWithoutARecentRollout() {
        rolledOut("inference-gateway", Duration.ofHours(-2));

        pipeline.send(firing("f-errors", "HighErrorRate", "warning", "inference-gateway",
                Map.of("kind", "error_ratio", "value", "0.06")), Duration.ZERO);

        assertThat(remediations()).isEmpty();
    }

    @Test
    void aFailedStepGivesWayToTheNextAndAnExhaustedRunbookHandsOverToTheSeverityChain() {
        rolledOut("inference-gateway", Duration.ofMinutes(-5));
        pipeline.send(ERRORS, Duration.ZERO);
        ActionCommand rollback = remediations().get(0);

        result(rollback, ActionOutcome.FAILED, Duration.ofMinutes(1));
        ActionCommand restart = remediations().get(0);
        assertThat(restart.getType()).isEqualTo(ActionType.ROLLOUT_RESTART);

        result(restart, ActionOutcome.REJECTED, Duration.ofMinutes(2));
        // Runbook 001, "Escalation Decision Tree": the severity decides who is paged, not the runbook running dry.
        assertThat(pipeline.actionCommands.readValuesToList()).noneMatch(c -> c.getCommandId().contains("exhausted"));
        assertThat(pipeline.incidentEvents.readValuesToList()).filteredOn(e -> e.getType() == IncidentEventType.ESCALATED)
                .extracting(IncidentEvent::getMessage).anyMatch(m -> m.contains("handed over to the")
                        && m.contains("escalation chain"));
    }

    @Test
    void holdsAStepThatNeedsApprovalUntilAPersonApprovesIt() {
        pipeline.send(firing("f-mem", "HighMemoryUsage", "critical", "inference-gateway", Map.of()), Duration.ZERO);
        assertThat(remediations()).isEmpty();
        assertThat(types()).contains(IncidentEventType.ACTION_AWAITING_APPROVAL);
        String incidentId = lastIncident().getId();

        pipeline.command(incidentId, IncidentCommandType.APPROVE, "alice", Duration.ofMinutes(3), null);

        ActionCommand raise = remediations().get(0);
        assertThat(raise.getType()).isEqualTo(ActionType.SET_RESOURCES);
        assertThat(raise.getParameters()).containsEntry("limits.memory", "2Gi");
        assertThat(raise.getIssuedAt()).isEqualTo(T0.plus(Duration.ofMinutes(3)));
        assertThat(types()).contains(IncidentEventType.APPROVED, IncidentEventType.ACTION_ISSUED);
    }

    @Test
    void scalesUpOnLatencySaturation() {
        pipeline.send(firing("f-lat", "HighLatency", "warning", "inference-gateway", Map.of()), Duration.ZERO);

        ActionCommand scale = remediations().get(0);
        assertThat(scale.getType()).isEqualTo(ActionType.SCALE);
        assertThat(scale.getParameters()).containsEntry("delta", "+2");
    }

    @Test
    void restartsTheDependencyWhoseCircuitBreakerIsOpen() {
        Alert breaker = Alert.newBuilder(firing("f-cb", "CircuitBreakerOpen", "critical", "inference-gateway",
                Map.of())).setLabels(Map.of("alertname", "CircuitBreakerOpen", "severity", "critical",
                "service", "inference-gateway", "namespace", "ml-prod", "dependency", "redis")).build();

        pipeline.send(breaker, Duration.ZERO);

        ActionCommand restart = remediations().get(0);
        assertThat(restart.getType()).isEqualTo(ActionType.ROLLOUT_RESTART);
        assertThat(restart.getTarget().getName()).isEqualTo("redis");
    }

    @Test
    void fallsBackToCpuWithAnEmptyCudaVisibleDevicesOnceApproved() {
        pipeline.send(firing("f-gpu", "GPUUnavailable", "critical", "inference-gateway", Map.of()), Duration.ZERO);
        pipeline.command(lastIncident().getId(), IncidentCommandType.APPROVE, "alice", Duration.ofMinutes(1), null);

        ActionCommand fallback = remediations().get(0);
        assertThat(fallback.getType()).isEqualTo(ActionType.SET_ENV);
        assertThat(fallback.getParameters()).containsEntry("env.CUDA_VISIBLE_DEVICES", "");
    }

    @Test
    void skipsAStepWhoseTemplateHasNothingToFillAndSaysSo() {
        pipeline.send(firing("f-acc", "ModelAccuracyDegraded", "critical", "fraud-model", Map.of()), Duration.ZERO);

        List<IncidentEvent> events = pipeline.incidentEvents.readValuesToList();
        assertThat(events).anySatisfy(e -> assertThat(e.getMessage())
                .isEqualTo("model-rollback step previous-model skipped: nothing to fill {{label.previous_model_version}} with"));
        assertThat(remediations()).isEmpty();
    }

    @Test
    void silencesARestartLoopForAnHour() {
        pipeline.send(firing("f-restart", "PodRestart", "warning", "inference-gateway", Map.of()), Duration.ZERO);

        ActionCommand silence = remediations().get(0);
        assertThat(silence.getType()).isEqualTo(ActionType.SILENCE);
        assertThat(silence.getParameters()).containsEntry("label.alertname", "PodRestart")
                .containsEntry("label.service", "inference-gateway").containsEntry("duration", "1h");
    }

    private void rolledOut(String deployment, Duration offset) {
        DeploymentEvent rollout = DeploymentEvent.newBuilder()
                .setNamespace("ml-prod").setDeployment(deployment).setRevision(7).setPreviousRevision(6L)
                .setImages(Map.of("server", "registry/gateway:2.4.0")).setChangeCause("deploy 2.4.0")
                .setRolledOutAt(T0.plus(offset)).build();
        pipeline.deploymentEvents.pipeInput("ml-prod/" + deployment, rollout, T0.plus(offset));
    }

    private void result(ActionCommand command, ActionOutcome outcome, Duration offset) {
        ActionResult result = ActionResult.newBuilder()
                .setCommandId(command.getCommandId()).setIncidentId(command.getIncidentId())
                .setCorrelationKey(command.getCorrelationKey())
                .setType(command.getType()).setTarget(command.getTarget()).setMode(command.getMode())
                .setOutcome(outcome).setReasonCode(outcome == ActionOutcome.SUCCEEDED ? null : "api_error")
                .setMessage(outcome.name().toLowerCase()).setBefore(Map.of("revision", "7"))
                .setAfter(Map.of("revision", "6")).setAttempts(1).setWorker("worker-1")
                .setStartedAt(T0.plus(offset)).setFinishedAt(T0.plus(offset)).build();
        pipeline.actionResults.pipeInput(command.getCorrelationKey(), result, T0.plus(offset));
    }

    /** Remediation commands issued so far (escalation's notifications aside). */
    private List<ActionCommand> remediations() {
        return pipeline.actionCommands.readValuesToList().stream()
                .filter(c -> c.getType() != ActionType.PAGE && c.getType() != ActionType.NOTIFY
                        && c.getType() != ActionType.TICKET)
                .toList();
    }

    private Incident lastIncident() {
        List<Incident> states = pipeline.incidents.readValuesToList();
        assertThat(states).isNotEmpty();
        return states.get(states.size() - 1);
    }

    private List<IncidentEventType> types() {
        return pipeline.incidentEvents.readValuesToList().stream().map(IncidentEvent::getType).toList();
    }
}

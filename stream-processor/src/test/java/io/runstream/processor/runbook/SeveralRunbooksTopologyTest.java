package io.runstream.processor.runbook;

import static io.runstream.processor.TopologyFixture.firing;
import static io.runstream.processor.TopologyFixture.resolved;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.runstream.avro.ActionCommand;
import io.runstream.avro.ActionOutcome;
import io.runstream.avro.ActionType;
import io.runstream.avro.Alert;
import io.runstream.avro.Incident;
import io.runstream.avro.IncidentEvent;
import io.runstream.avro.IncidentEventType;
import io.runstream.avro.IncidentState;
import io.runstream.avro.RunbookProgressState;
import io.runstream.processor.PreviousReleaseState;
import io.runstream.processor.TopologyFixture;
import io.runstream.processor.correlation.CorrelationStage;
import io.runstream.processor.rules.RunbooksFiles;
import io.runstream.schemas.StateSerdes;

/** Issue 17, item 2: every runbook that applies runs, without two of them racing on one target. */
class SeveralRunbooksTopologyTest {

    private static final Alert LATENCY = firing("f-latency", "HighLatency", "warning", "inference-gateway", Map.of());
    private static final Alert P2_ERRORS = firing("f-errors", "HighErrorRate", "warning", "inference-gateway",
            Map.of("kind", "error_ratio", "value", "0.06"));
    private static final Alert P1_ERRORS = firing("f-errors", "HighErrorRate", "critical", "inference-gateway",
            Map.of("kind", "error_ratio", "value", "0.12"));

    private TopologyFixture pipeline = new TopologyFixture();
    private RunbookStories story = new RunbookStories(pipeline);

    @AfterEach
    void close() {
        pipeline.close();
    }

    @Test
    void aHighErrorRateAfterARolloutStillRollsBackWhenScaleOnSaturationStartedFirst() {
        // given: latency saturation, and scale-on-saturation scaling the deployment up
        pipeline.send(LATENCY, Duration.ZERO);
        ActionCommand scale = story.remediations().get(0);
        assertThat(scale.getType()).isEqualTo(ActionType.SCALE);

        // when: the error rate rises, eight minutes after a rollout
        story.rolledOut("inference-gateway", Duration.ofMinutes(-6));
        pipeline.send(P2_ERRORS, Duration.ofMinutes(2));

        // then: the rollback waits for the scale of the same Deployment, and says so ...
        assertThat(story.remediations()).isEmpty();
        assertThat(story.timeline()).extracting(IncidentEvent::getMessage).contains("rollback-after-rollout step "
                + "rollback waits: scale-on-saturation step scale-up is changing Deployment/ml-prod/inference-gateway");
        // ... and runs once the scale has its result, under its own command id
        story.result(scale, ActionOutcome.SUCCEEDED, Duration.ofMinutes(3));
        ActionCommand rollback = story.remediations().get(0);
        assertThat(rollback.getType()).isEqualTo(ActionType.ROLLOUT_UNDO);
        assertThat(rollback.getCommandId()).isEqualTo(story.lastIncident().getId() + "/rollback-after-rollout/rollback");
    }

    @Test
    void aWaitingRunbookDoesNotGoOnWhileTheOtherStepIsOnlyAppliedNotVerified() {
        pipeline.send(LATENCY, Duration.ZERO);
        ActionCommand scale = story.remediations().get(0);
        story.rolledOut("inference-gateway", Duration.ofMinutes(-6));
        pipeline.send(P2_ERRORS, Duration.ofMinutes(2));
        story.sent();

        story.result(scale, ActionOutcome.APPLIED, Duration.ofMinutes(3));
        assertThat(story.sent()).isEmpty();

        story.result(scale, ActionOutcome.FAILED, Duration.ofMinutes(5));
        assertThat(story.remediations()).extracting(ActionCommand::getType).containsExactly(ActionType.ROLLOUT_UNDO);
    }

    @Test
    void runbooksThatApplyAllRunInFileOrderEachUnderItsOwnCommandIds() {
        pipeline.close();
        pipeline = new TopologyFixture(RunbooksFiles.parse("runbooks.yaml", """
                runbooks:
                  - name: feature-flag-off
                    match: {alerts: [HighErrorRate]}
                    steps:
                      - name: flag-off
                        action: PATCH_CONFIGMAP
                        target: {kind: ConfigMap, namespace: "{{namespace}}", name: "{{service}}-flags"}
                        parameters: {data.new-ranker: "off"}
                  - name: scale-out
                    match: {alerts: [HighErrorRate]}
                    steps:
                      - name: scale-up
                        action: SCALE
                        target: {kind: Deployment, namespace: "{{namespace}}", name: "{{service}}"}
                        parameters: {delta: "+2"}
                """));
        story = new RunbookStories(pipeline);

        pipeline.send(P2_ERRORS, Duration.ZERO);

        String id = story.lastIncident().getId();
        assertThat(story.remediations()).extracting(ActionCommand::getCommandId)
                .containsExactly(id + "/feature-flag-off/flag-off", id + "/scale-out/scale-up");
    }

    @Test
    void aChangeAnotherRunbookAlreadyIssuedIsNotIssuedTwice() {
        // given: a rollout, then a P1 error rate: rollback-after-rollout and rollback-on-p1-error-rate both apply
        story.rolledOut("inference-gateway", Duration.ofMinutes(-10));

        pipeline.send(P1_ERRORS, Duration.ZERO);

        // then: one rollback, not two (a second undo would go back one more revision)
        String id = story.lastIncident().getId();
        assertThat(story.remediations()).extracting(ActionCommand::getCommandId)
                .containsExactly(id + "/rollback-after-rollout/rollback");
        assertThat(story.timeline()).extracting(IncidentEvent::getMessage)
                .contains("rollback-on-p1-error-rate step rollback skipped: ROLLOUT_UNDO "
                        + "Deployment/ml-prod/inference-gateway was already issued in this episode")
                .noneMatch(m -> m.contains("rollback-on-p1-error-rate has no step left"));
    }

    @Test
    void aReopenedIncidentRunsItsRunbooksAgainUnderTheNewEpisodesCommandIds() {
        // given: rolled back, mitigated, resolved once recovery held
        story.rolledOut("inference-gateway", Duration.ofMinutes(-10));
        pipeline.send(P2_ERRORS, Duration.ZERO);
        story.result(story.remediations().get(0), ActionOutcome.SUCCEEDED, Duration.ofMinutes(1));
        pipeline.send(resolved(P2_ERRORS), Duration.ofMinutes(4));
        pipeline.driver.advanceWallClockTime(Duration.ofMinutes(10).plusSeconds(1));
        assertThat(story.lastIncident().getState()).isEqualTo(IncidentState.RESOLVED);
        story.sent();

        // when: the errors return inside the reopen window
        pipeline.send(P2_ERRORS, Duration.ofMinutes(16));

        // then: the new episode rolls back again, under an id the workers have not answered yet
        Incident reopened = story.lastIncident();
        assertThat(reopened.getReopenCount()).isEqualTo(1);
        assertThat(story.remediations()).extracting(ActionCommand::getCommandId)
                .containsExactly(reopened.getId() + "/reopen-1/rollback-after-rollout/rollback");
    }

    @Test
    void aStepIssuedBeforeTheUpgradeStillTakesItsResult() {
        // given: a rollback in flight, its progress stored the way the release before stored it (one runbook)
        story.rolledOut("inference-gateway", Duration.ofMinutes(-10));
        pipeline.send(P2_ERRORS, Duration.ZERO);
        ActionCommand rollback = story.remediations().get(0);
        Incident incident = story.lastIncident();
        PreviousReleaseState.putText(pipeline.driver, CorrelationStage.RUNBOOK_PROGRESS_STORE,
                incident.getCorrelationKey(), String.join("\u001f", incident.getId(), "rollback-after-rollout", "0",
                        rollback.getCommandId(), "ISSUED"));

        // when: its result arrives after the upgrade
        story.result(rollback, ActionOutcome.FAILED, Duration.ofMinutes(1));

        // then: the runbook goes on with its next step, and the store holds the current encoding
        assertThat(story.remediations()).extracting(ActionCommand::getCommandId)
                .containsExactly(incident.getId() + "/rollback-after-rollout/restart");
        KeyValueStore<String, RunbookProgressState> progress = pipeline.driver.getKeyValueStore(
                CorrelationStage.RUNBOOK_PROGRESS_STORE);
        assertThat(StateSerdes.isSingleObject(PreviousReleaseState.rawValue(pipeline.driver,
                CorrelationStage.RUNBOOK_PROGRESS_STORE, incident.getCorrelationKey()))).isTrue();
        assertThat(progress.get(incident.getCorrelationKey()).getEpisode()).isZero();
    }

    @Test
    void aRunbookThatStartsLaterDoesNotRestartOneThatRanInTheEpisode() {
        story.rolledOut("inference-gateway", Duration.ofMinutes(-10));
        pipeline.send(P2_ERRORS, Duration.ZERO);
        story.result(story.remediations().get(0), ActionOutcome.FAILED, Duration.ofMinutes(1));
        story.sent();
        story.timeline();

        pipeline.send(firing("f-errors-2", "HighErrorRate", "warning", "inference-gateway",
                Map.of("kind", "error_ratio", "value", "0.07")), Duration.ofMinutes(2));

        assertThat(story.timeline()).extracting(IncidentEvent::getType)
                .doesNotContain(IncidentEventType.ACTION_ISSUED);
    }
}

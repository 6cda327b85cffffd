package io.runstream.processor.runbook;

import static io.runstream.processor.TopologyFixture.T0;
import static io.runstream.processor.TopologyFixture.firing;
import static io.runstream.processor.TopologyFixture.resolved;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
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
import io.runstream.avro.TimerState;
import io.runstream.processor.PreviousReleaseState;
import io.runstream.processor.TopologyFixture;
import io.runstream.processor.correlation.CorrelationStage;
import io.runstream.schemas.StateSerdes;

/**
 * Issue 19, item 3: a rolling upgrade restores the correlation stores as the previous release wrote them (text
 * values, text timer keys), and the new release reads that state, acts on it as the old one would have, and
 * rewrites it in its own encoding. The old bytes are put under the stores' typed layers, where restoring the old
 * changelog puts them.
 */
class StateUpgradeTopologyTest {

    private static final Alert P1_ERRORS = firing("f-errors", "HighErrorRate", "critical", "inference-gateway",
            Map.of("kind", "error_ratio", "value", "0.12"));
    private static final Alert P2_ERRORS = firing("f-errors", "HighErrorRate", "warning", "inference-gateway",
            Map.of("kind", "error_ratio", "value", "0.06"));
    private static final String KEY = "ml-prod/inference-gateway";

    private final TopologyFixture pipeline = new TopologyFixture();
    private final RunbookStories story = new RunbookStories(pipeline);

    @AfterEach
    void close() {
        pipeline.close();
    }

    @Test
    void aRolloutTimeOfThePreviousReleaseStillStartsTheRollback() {
        // given: the key's last rollout, ten minutes ago, as the previous release kept it (decimal millis)
        PreviousReleaseState.putText(pipeline.driver, CorrelationStage.ROLLOUTS_STORE, KEY,
                Long.toString(T0.minus(Duration.ofMinutes(10)).toEpochMilli()));

        // when: the error rate rises (runbook 001: error rate up after a rollout -> rollout undo)
        pipeline.send(P2_ERRORS, Duration.ZERO);

        // then: the rollback is issued
        assertThat(story.remediations()).extracting(ActionCommand::getType).containsExactly(ActionType.ROLLOUT_UNDO);
    }

    @Test
    void runbookProgressOfThePreviousReleaseTakesTheResultAndIsRewrittenAsAvro() {
        // given: a rollback in flight, its progress as the previous release stored it (text, version 2)
        story.rolledOut("inference-gateway", Duration.ofMinutes(-10));
        pipeline.send(P2_ERRORS, Duration.ZERO);
        ActionCommand rollback = story.remediations().get(0);
        Incident incident = story.lastIncident();
        PreviousReleaseState.putText(pipeline.driver, CorrelationStage.RUNBOOK_PROGRESS_STORE, KEY,
                "2\u001f" + incident.getId() + "\u001f0\u001f\u001e" + String.join("\u001f",
                        "rollback-after-rollout", "0", rollback.getCommandId(), "ISSUED"));

        // when: the rollback's result arrives after the upgrade
        story.result(rollback, ActionOutcome.FAILED, Duration.ofMinutes(1));

        // then: the runbook goes on with its next step, and the progress is now single-object encoded
        assertThat(story.remediations()).extracting(ActionCommand::getCommandId)
                .containsExactly(incident.getId() + "/rollback-after-rollout/restart");
        assertThat(StateSerdes.isSingleObject(PreviousReleaseState.rawValue(pipeline.driver,
                CorrelationStage.RUNBOOK_PROGRESS_STORE, KEY))).isTrue();
    }

    @Test
    void timersOfThePreviousReleaseFireAsTheyWouldHaveAndMoveToBinaryKeys() {
        // given: a P1 incident whose escalation chain is stored as the previous release stored it
        pipeline.send(P1_ERRORS, Duration.ZERO);
        story.sent();
        int moved = rewriteTimersAsPreviousRelease();
        assertThat(moved).isPositive();

        // when: the wall clock passes the chain's steps
        pipeline.driver.advanceWallClockTime(Duration.ofMinutes(45));

        // then: the same escalation as an incident that never crossed an upgrade, and no text key left
        List<String> afterUpgrade = pages(story.sent());
        try (TopologyFixture control = new TopologyFixture()) {
            control.send(P1_ERRORS, Duration.ZERO);
            control.actionCommands.readValuesToList();
            control.driver.advanceWallClockTime(Duration.ofMinutes(45));
            assertThat(afterUpgrade).isNotEmpty()
                    .containsExactlyElementsOf(pages(control.actionCommands.readValuesToList()));
        }
        for (char digit = '0'; digit <= '9'; digit++) {
            assertThat(PreviousReleaseState.countKeysStartingWith(pipeline.driver, CorrelationStage.TIMERS_STORE,
                    (byte) digit)).isZero();
        }
    }

    @Test
    void anIncidentRecordOfThePreviousReleaseEndsUpInThePostIncidentRecord() {
        // given: an open incident whose record holds lines the previous release wrote
        pipeline.send(P2_ERRORS, Duration.ZERO);
        Incident incident = story.lastIncident();
        String oldAction = "2026-11-22T17:58:00Z ACTION_RESULT NOTIFY SUCCEEDED: posted [" + incident.getId()
                + "/escalation/notify-slack]";
        String oldOpening = "2026-11-22T17:57:00Z OPENED HighErrorRate on inference-gateway";
        PreviousReleaseState.putText(pipeline.driver, CorrelationStage.RECORD_STORE, KEY,
                incident.getId() + "\n" + oldOpening + "\n" + oldAction);

        // when: its alert resolves (runbook 002: the resolution carries the incident record)
        pipeline.send(resolved(P2_ERRORS), Duration.ofMinutes(5));

        // then: the RESOLVED entry's timeline and actions hold the old lines as they read, then the new ones
        IncidentEvent resolution = story.timeline().stream().filter(e -> e.getType() == IncidentEventType.RESOLVED)
                .findFirst().orElseThrow();
        assertThat(resolution.getDetails().get("timeline")).startsWith(oldOpening + "\n" + oldAction + "\n")
                .contains(" RESOLVED ");
        assertThat(resolution.getDetails().get("actions")).startsWith(oldAction).doesNotContain(oldOpening);
        assertThat(StateSerdes.isSingleObject(PreviousReleaseState.rawValue(pipeline.driver,
                CorrelationStage.RECORD_STORE, KEY))).isTrue();
    }

    /** Replaces every timer by the previous release's text key (and its name as the value); returns how many. */
    private int rewriteTimersAsPreviousRelease() {
        KeyValueStore<Bytes, TimerState> timers = pipeline.driver.getKeyValueStore(CorrelationStage.TIMERS_STORE);
        List<KeyValue<Bytes, TimerState>> all = new ArrayList<>();
        try (KeyValueIterator<Bytes, TimerState> entries = timers.all()) {
            entries.forEachRemaining(all::add);
        }
        for (KeyValue<Bytes, TimerState> entry : all) {
            TimerState timer = entry.value;
            timers.delete(entry.key);
            String previousKey = String.format("%015d", timer.getDueAt().toEpochMilli()) + '|' + timer.getIncidentId()
                    + '|' + timer.getName() + '|' + timer.getCorrelationKey();
            PreviousReleaseState.putRaw(pipeline.driver, CorrelationStage.TIMERS_STORE,
                    previousKey.getBytes(StandardCharsets.UTF_8), timer.getName().getBytes(StandardCharsets.UTF_8));
        }
        return all.size();
    }

    private static List<String> pages(List<ActionCommand> sent) {
        return sent.stream().map(c -> c.getCommandId() + " " + c.getType() + " " + c.getTarget().getName()).toList();
    }
}

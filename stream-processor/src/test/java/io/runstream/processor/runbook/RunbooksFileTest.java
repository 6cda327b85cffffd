package io.runstream.processor.runbook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import io.runstream.avro.ActionType;
import io.runstream.processor.rules.RulesFileException;
import io.runstream.processor.rules.RunbooksFiles;

class RunbooksFileTest {

    @Test
    void shipsTheSeedRunbooksRemediations() {
        Runbooks builtIn = RunbooksFiles.load(null);

        assertThat(builtIn.runbooks()).extracting(Runbook::name).containsExactly("rollback-after-rollout",
                "scale-on-saturation", "memory-pressure", "model-rollback", "circuit-breaker-open", "gpu-fallback",
                "silence-restart-loop");
        assertThat(builtIn.runbooks().get(0).steps()).extracting(RunbookStep::action)
                .containsExactly(ActionType.ROLLOUT_UNDO, ActionType.ROLLOUT_RESTART);
    }

    @Test
    void namesTheLineTheRunbookAndTheStepOfEveryProblem() {
        String text = """
                runbooks:
                  - name: rollback
                    match:
                      alerts: [HighErrorRate]
                    when:
                      recentRollout: half an hour
                    steps:
                      - name: undo
                        action: ROLLBACK
                        target: {kind: Deployment, name: "{{service}}"}
                      - name: undo
                        action: SCALE
                        mode: sometimes
                        target: {kind: Deployment}
                  - name: rollback
                    match: {alerts: []}
                    steps: []
                """;

        assertThatThrownBy(() -> RunbooksFiles.parse("runbooks.yaml", text))
                .isInstanceOfSatisfying(RulesFileException.class, e -> assertThat(e.problems()).containsExactly(
                        "runbooks.yaml line 6, column 22: runbooks[0].when.recentRollout: 'half an hour' is not a "
                                + "duration (use 30s, 5m, 1h)",
                        "runbooks.yaml line 9, column 17: runbooks[0].steps[0].action: rollback step undo: "
                                + "'ROLLBACK' is not an action (one of [DELETE_POD, NOTIFY, PAGE, PATCH_CONFIGMAP, "
                                + "ROLLOUT_RESTART, ROLLOUT_UNDO, SCALE, SET_ENV, SET_RESOURCES, SILENCE])",
                        "runbooks.yaml line 11, column 15: runbooks[0].steps[1].name: rollback step undo: appears "
                                + "twice in the runbook",
                        "runbooks.yaml line 13, column 15: runbooks[0].steps[1].mode: rollback step undo: mode must "
                                + "be enforce or dry-run, was 'sometimes'",
                        "runbooks.yaml line 14, column 17: runbooks[0].steps[1].target.name: required but missing",
                        "runbooks.yaml line 15, column 11: runbooks[1].name: runbook 'rollback' is defined twice",
                        "runbooks.yaml line 16, column 21: runbooks[1].match.alerts: runbook rollback matches no "
                                + "alert name",
                        "runbooks.yaml line 17, column 12: runbooks[1].steps: runbook rollback needs at least one "
                                + "step"));
    }

    @Test
    void anEmptyFileHasNoRunbooks() {
        assertThat(RunbooksFiles.parse("empty.yaml", "").runbooks()).isEmpty();
    }
}

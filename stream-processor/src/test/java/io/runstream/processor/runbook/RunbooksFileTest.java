package io.runstream.processor.runbook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import io.runstream.avro.Severity;
import io.runstream.processor.escalation.EscalationPolicy;
import io.runstream.processor.escalation.EscalationStep;
import io.runstream.processor.escalation.EscalationStop;
import io.runstream.avro.ActionMode;
import io.runstream.avro.ActionType;
import io.runstream.avro.Severity;
import io.runstream.processor.escalation.EscalationPolicy;
import io.runstream.processor.escalation.EscalationStep;
import io.runstream.processor.recovery.RecoveryPolicy;
import io.runstream.processor.rules.RulesFileException;
import io.runstream.processor.rules.RunbooksFiles;

class RunbooksFileTest {

    @Test
    void shipsTheSeedRunbooksRemediations() {
        Runbooks builtIn = RunbooksFiles.load(null);

        assertThat(builtIn.runbooks()).extracting(Runbook::name).containsExactly("rollback-after-rollout",
                "rollback-on-p1-error-rate", "scale-on-saturation", "memory-pressure", "model-rollback",
                "circuit-breaker-open", "gpu-fallback", "silence-restart-loop", "reload-triton-model");
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
                                + "'ROLLBACK' is not an action (one of [DELETE_POD, HTTP_REQUEST, NOTIFY, PAGE, "
                                + "PATCH_CONFIGMAP, ROLLOUT_RESTART, ROLLOUT_UNDO, SCALE, SET_ENV, SET_RESOURCES, "
                                + "SILENCE])",
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
    void readsHowHeldStepsAskAndExpireAndNamesEveryBadValue() {
        Runbooks builtIn = RunbooksFiles.load(null);
        assertThat(builtIn.approvals()).isEqualTo(new Approvals("slack", "ml-ops-oncall", Duration.ofMinutes(30),
                Approvals.OnTimeout.ESCALATE));
        assertThat(builtIn.runbooks()).filteredOn(r -> r.name().equals("memory-pressure")).singleElement()
                .satisfies(r -> assertThat(r.steps().get(0).onApprovalTimeout()).isEqualTo(Approvals.OnTimeout.SKIP));

        String text = """
                approvals: {channel: ml-approvers, timeout: soon, onTimeout: later}
                runbooks:
                  - name: raise
                    match: {alerts: [HighMemoryUsage]}
                    steps:
                      - name: raise
                        action: SET_RESOURCES
                        target: {kind: Deployment, name: "{{service}}"}
                        requiresApproval: true
                        onApprovalTimeout: never
                """;
        assertThatThrownBy(() -> RunbooksFiles.parse("runbooks.yaml", text))
                .isInstanceOfSatisfying(RulesFileException.class, e -> assertThat(e.problems()).containsExactly(
                        "runbooks.yaml line 1, column 22: approvals.channel: 'ml-approvers' is not kind/name, e.g. "
                                + "slack/ml-ops-oncall",
                        "runbooks.yaml line 1, column 45: approvals.timeout: 'soon' is not a duration (use 30s, 5m, 1h)",
                        "runbooks.yaml line 1, column 62: approvals.onTimeout: must be skip or escalate, was 'later'",
                        "runbooks.yaml line 10, column 28: runbooks[0].steps[0].onApprovalTimeout: raise step raise: "
                                + "must be skip or escalate, was 'never'"));
    }

    @Test
    void theBuiltInEscalationAndRecoveryAreTheRunbooksOwn() {
        Runbooks builtIn = RunbooksFiles.load(null);

        assertThat(builtIn.escalation()).isEqualTo(EscalationPolicy.defaults());
        assertThat(builtIn.recovery()).isEqualTo(RecoveryPolicy.defaults());
        assertThat(builtIn.mode()).isEqualTo(ActionMode.ENFORCE);
    }

    @Test
    void readsEscalationRecoveryAndAGlobalDryRun() {
        Runbooks file = RunbooksFiles.parse("runbooks.yaml", """
                mode: dry-run
                recovery: {hold: 2s, deadline: 1m}
                escalation:
                  commandTtl: 5m
                  severities:
                    P2:
                      steps:
                        - {name: page-now, after: 0s, action: PAGE, channel: pagerduty/on-call}
                      statusUpdates: {every: 0s, channel: slack/none}
                runbooks: []
                """);

        assertThat(file.mode()).isEqualTo(ActionMode.DRY_RUN);
        assertThat(file.recovery()).isEqualTo(new RecoveryPolicy(Duration.ofSeconds(2), Duration.ofMinutes(1)));
        assertThat(file.escalation().commandTtl()).isEqualTo(Duration.ofMinutes(5));
        assertThat(file.escalation().forSeverity(Severity.P2).steps()).extracting(EscalationStep::name)
                .containsExactly("page-now");
        assertThat(file.escalation().forSeverity(Severity.P2).remindsOfUpdates()).isFalse();
        assertThat(file.escalation().forSeverity(Severity.P1)).isEqualTo(EscalationPolicy.defaults()
                .forSeverity(Severity.P1));
    }

    @Test
    void namesTheSeverityAndStepOfABadEscalation() {
        assertThatThrownBy(() -> RunbooksFiles.parse("runbooks.yaml", """
                escalation:
                  severities:
                    P1:
                      steps:
                        - {name: page, after: soon, action: EMAIL, channel: on-call}
                """))
                .isInstanceOfSatisfying(RulesFileException.class, e -> assertThat(e.problems()).containsExactly(
                        "runbooks.yaml line 5, column 31: escalation.severities.P1.steps[0].after: 'soon' is not a "
                                + "duration (use 30s, 5m, 1h)",
                        "runbooks.yaml line 5, column 45: escalation.severities.P1.steps[0].action: P1 step page: "
                                + "'EMAIL' is not PAGE, NOTIFY or TICKET",
                        "runbooks.yaml line 5, column 61: escalation.severities.P1.steps[0].channel: 'on-call' is "
                                + "not kind/name, e.g. pagerduty/on-call or slack/ml-ops-oncall"));
    }

    @Test
    void readsUntilPerAlertChainsAndTheDashboardUrl() {
        EscalationPolicy escalation = RunbooksFiles.parse("runbooks.yaml", """
                escalation:
                  dashboardUrl: https://runstream.example.com/dashboard
                  severities:
                    P2:
                      steps:
                        - {name: page-lead, after: 10m, action: PAGE, channel: pagerduty/lead, until: mitigated}
                  alerts:
                    SlowQueries:
                      steps:
                        - {name: page-dba, after: 0s, action: PAGE, channel: pagerduty/dba, until: resolved}
                """).escalation();

        assertThat(escalation.dashboardUrl()).isEqualTo("https://runstream.example.com/dashboard");
        assertThat(escalation.forSeverity(Severity.P2).steps()).singleElement()
                .extracting(EscalationStep::until).isEqualTo(EscalationStop.MITIGATED);
        assertThat(escalation.byAlert()).containsOnlyKeys("SlowQueries");
        assertThat(escalation.forAlert("SlowQueries")).singleElement().satisfies(step -> {
            assertThat(step.channelId()).isEqualTo("pagerduty/dba");
            assertThat(step.until()).isEqualTo(EscalationStop.RESOLVED);
        });
        assertThat(RunbooksFiles.parse("runbooks.yaml", "escalation: {alerts: {}}").escalation().byAlert()).isEmpty();
    }

    @Test
    void statusUpdatesMayAlsoGoToMoreChannelsAndABadOneIsNamed() {
        EscalationPolicy escalation = RunbooksFiles.parse("runbooks.yaml", """
                escalation:
                  severities:
                    P1:
                      statusUpdates: {every: 10m, channel: slack/ml-ops-oncall, alsoTo: [statuspage/public, jira/ML]}
                """).escalation();
        assertThat(escalation.forSeverity(Severity.P1).updateChannels())
                .containsExactly("slack/ml-ops-oncall", "statuspage/public", "jira/ML");

        assertThatThrownBy(() -> RunbooksFiles.parse("runbooks.yaml", """
                escalation:
                  severities:
                    P1:
                      statusUpdates: {every: 10m, channel: slack/ml-ops-oncall, alsoTo: [statuspage]}
                """))
                .isInstanceOfSatisfying(RulesFileException.class, e -> assertThat(e.problems()).singleElement()
                        .asString().contains("alsoTo", "'statuspage' is not kind/name"));
    }

    @Test
    void theBuiltInEscalationPagesPerAlertAsRunbook004Says() {
        EscalationPolicy escalation = RunbooksFiles.load(null).escalation();

        assertThat(escalation.byAlert()).containsOnlyKeys("DatabaseDown", "GPUUnavailable", "ServiceDown");
        assertThat(escalation).isEqualTo(EscalationPolicy.defaults());
    }

    @Test
    void namesTheProblemOfABadUntilAlertNameOrDashboardUrl() {
        assertThatThrownBy(() -> RunbooksFiles.parse("runbooks.yaml", """
                escalation:
                  dashboardUrl: "javascript:alert(1)"
                  severities:
                    P1:
                      steps:
                        - {name: page, after: 0s, action: PAGE, channel: pagerduty/on-call, until: forever}
                  alerts:
                    "Bad.Name#1":
                      steps: []
                    NoSteps: {}
                """))
                .isInstanceOfSatisfying(RulesFileException.class, e -> assertThat(e.problems()).containsExactly(
                        "runbooks.yaml line 2, column 17: escalation.dashboardUrl: 'javascript:alert(1)' is not an "
                                + "http(s) URL",
                        "runbooks.yaml line 6, column 84: escalation.severities.P1.steps[0].until: P1 step page: "
                                + "'forever' is not acknowledged, mitigated or resolved",
                        "runbooks.yaml line 9, column 7: escalation.alerts.Bad.Name#1: 'Bad.Name#1' is not an alert "
                                + "name (letters, digits, '_' and ':', not starting with a digit)",
                        "runbooks.yaml line 10, column 14: escalation.alerts.NoSteps.steps: required but missing"));
    }

    @Test
    void aFileWithoutRunbooksKeepsTheBuiltInOnesAndAnEmptyListMeansNone() {
        int builtIn = RunbooksFiles.load(null).runbooks().size();
        assertThat(RunbooksFiles.parse("empty.yaml", "").runbooks()).hasSize(builtIn);
        assertThat(RunbooksFiles.parse("recovery.yaml", "recovery: {hold: 1s}").runbooks()).hasSize(builtIn);
        assertThat(RunbooksFiles.parse("none.yaml", "runbooks: []").runbooks()).isEmpty();
    }
}

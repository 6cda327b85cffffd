package io.runstream.processor.conformance;

import static io.runstream.processor.conformance.RunbookPipeline.errorRate;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.runstream.avro.ActionOutcome;
import io.runstream.avro.ActionType;
import io.runstream.avro.Incident;
import io.runstream.avro.IncidentEvent;
import io.runstream.avro.IncidentEventType;
import io.runstream.avro.Severity;

/** Runbook 001 (ML CI/CD pipeline): severity levels, notifying stakeholders, the escalation decision tree. */
class Runbook001ConformanceTest {

    private final RunbookPipeline pipeline = new RunbookPipeline();

    @AfterEach
    void close() {
        pipeline.close();
    }

    @Test
    @Conformance(runbook = "001", section = "Severity Levels")
    void anErrorRateAboveTenPercentIsP1() {
        pipeline.fire(errorRate("warning", 0.12));

        assertThat(pipeline.incident().getSeverity()).isEqualTo(Severity.P1);
    }

    @Test
    @Conformance(runbook = "001", section = "Severity Levels")
    void anErrorRateBetweenTwoAndTenPercentIsP2() {
        pipeline.fire(errorRate("warning", 0.03));

        assertThat(pipeline.incident().getSeverity()).isEqualTo(Severity.P2);
    }

    @Test
    @Conformance(runbook = "001", section = "Severity Levels")
    void severityRisesWithTheMeasuredImpactAndStartsTheHigherChain() {
        pipeline.fire(errorRate("warning", 0.03));
        assertThat(pipeline.notices()).containsExactly("NOTIFY opened slack/ml-ops-oncall");

        pipeline.atMinutes(2);
        pipeline.fire(RunbookPipeline.alert("HighErrorRate", "warning-2", "error_ratio", "0.15"));

        assertThat(pipeline.incident().getSeverity()).isEqualTo(Severity.P1);
        assertThat(pipeline.timeline()).extracting(IncidentEvent::getType).contains(IncidentEventType.SEVERITY_CHANGED);
        assertThat(pipeline.notices()).contains("PAGE trigger pagerduty/on-call");
    }

    @Test
    @Conformance(runbook = "001", section = "Escalation Decision Tree")
    void p1PagesTheOnCallAtOnceAndMessagesTheChannel() {
        pipeline.fire(errorRate("critical", 0.12));

        assertThat(pipeline.notices()).containsExactly("NOTIFY opened slack/ml-ops-oncall",
                "PAGE trigger pagerduty/on-call");
    }

    @Test
    @Conformance(runbook = "001", section = "Escalation Decision Tree")
    void p1PagesTheTechLeadAfterFiveMinutesIfNotImproving() {
        pipeline.fire(errorRate("critical", 0.12));
        pipeline.notices();

        pipeline.atMinutes(4);
        assertThat(pipeline.notices()).isEmpty();
        pipeline.atMinutes(5);
        assertThat(pipeline.notices()).containsExactly("PAGE trigger pagerduty/tech-lead");
    }

    @Test
    @Conformance(runbook = "001", section = "Escalation Decision Tree")
    void p1DoesNotPageTheTechLeadWhenARemediationImprovedIt() {
        pipeline.rolledOut(Duration.ofMinutes(10));
        pipeline.fire(errorRate("critical", 0.12));
        RunbookPipeline.Sent rollback = pipeline.sent().stream()
                .filter(s -> s.type() == ActionType.ROLLOUT_UNDO).findFirst().orElseThrow();

        pipeline.atMinutes(2);
        pipeline.result(rollback.command(), ActionOutcome.SUCCEEDED);
        pipeline.atMinutes(6);

        assertThat(pipeline.notices()).doesNotContain("PAGE trigger pagerduty/tech-lead");
    }

    @Test
    @Conformance(runbook = "001", section = "Escalation Decision Tree")
    void p1PagesTheVpAfterFifteenMinutesIfNotResolvedEvenWhenAcknowledged() {
        pipeline.fire(errorRate("critical", 0.12));
        pipeline.atMinutes(1);
        pipeline.acknowledge("alice");
        pipeline.notices();

        pipeline.atMinutes(15);

        assertThat(pipeline.notices()).contains("PAGE trigger pagerduty/vp-engineering")
                .doesNotContain("PAGE trigger pagerduty/tech-lead");
    }

    @Test
    @Conformance(runbook = "001", section = "Escalation Decision Tree")
    void p2MessagesTheChannelThenPagesTheOnCallAfterFiveMinutesWithoutResponse() {
        pipeline.fire(errorRate("warning", 0.03));
        assertThat(pipeline.notices()).containsExactly("NOTIFY opened slack/ml-ops-oncall");

        pipeline.atMinutes(5);

        assertThat(pipeline.notices()).containsExactly("PAGE trigger pagerduty/on-call");
    }

    @Test
    @Conformance(runbook = "001", section = "Escalation Decision Tree")
    void p2AnsweredWithinFiveMinutesPagesNobody() {
        pipeline.fire(errorRate("warning", 0.03));
        pipeline.atMinutes(3);
        pipeline.acknowledge("alice");

        pipeline.atMinutes(30);

        assertThat(pipeline.notices()).noneMatch(line -> line.startsWith("PAGE"));
    }

    @Test
    @Conformance(runbook = "001", section = "Escalation Decision Tree")
    void p2UpdatesTheTechLeadEveryFifteenMinutes() {
        pipeline.fire(errorRate("warning", 0.03));
        pipeline.atMinutes(1);
        pipeline.acknowledge("alice");
        pipeline.notices();

        pipeline.atMinutes(15);
        assertThat(pipeline.notices()).containsExactly("NOTIFY update slack/tech-lead");
        pipeline.atMinutes(30);
        assertThat(pipeline.notices()).containsExactly("NOTIFY update slack/tech-lead");
    }

    @Test
    @Conformance(runbook = "001", section = "Escalation Decision Tree")
    void p3CreatesATicketAndPagesNobody() {
        pipeline.fire(errorRate("warning", 0.015));
        assertThat(pipeline.incident().getSeverity()).isEqualTo(Severity.P3);

        pipeline.atMinutes(60);

        assertThat(pipeline.notices()).containsExactly("TICKET opened ticket/ml-platform");
    }

    @Test
    @Conformance(runbook = "001", section = "Escalation Decision Tree")
    void anExhaustedRunbookOnAP3PagesNobody() {
        pipeline.rolledOut(Duration.ofMinutes(5));
        pipeline.fire(errorRate("warning", 0.015));
        RunbookPipeline.Sent rollback = pipeline.sent().stream()
                .filter(s -> s.type() == ActionType.ROLLOUT_UNDO).findFirst().orElseThrow();
        pipeline.atMinutes(1);
        pipeline.result(rollback.command(), ActionOutcome.FAILED);
        RunbookPipeline.Sent restart = pipeline.sent().stream()
                .filter(s -> s.type() == ActionType.ROLLOUT_RESTART).findFirst().orElseThrow();
        pipeline.atMinutes(2);
        pipeline.result(restart.command(), ActionOutcome.FAILED);

        pipeline.atMinutes(30);

        assertThat(pipeline.notices()).noneMatch(line -> line.startsWith("PAGE"));
        assertThat(pipeline.timeline()).extracting(IncidentEvent::getMessage)
                .anyMatch(m -> m.contains("handed over to the P3 escalation chain"));
    }

    @Test
    @Conformance(runbook = "001", section = "General Response Procedure, Phase 1: Notify stakeholders")
    void everyNoticeNamesTheServiceItsStatusAndSeverity() {
        pipeline.fire(errorRate("critical", 0.12));

        assertThat(pipeline.sent()).filteredOn(s -> s.type() == ActionType.NOTIFY || s.type() == ActionType.PAGE)
                .isNotEmpty().allSatisfy(notice -> assertThat(notice.parameters())
                .containsEntry("service", RunbookPipeline.SERVICE).containsEntry("severity", "P1")
                .containsEntry("status", "investigating"));
    }

    @Test
    @Conformance(runbook = "001", section = "Communication Checklist: Internal Communication")
    void p1PostsStatusUpdatesEveryTenMinutes() {
        pipeline.fire(errorRate("critical", 0.12));
        pipeline.atMinutes(1);
        pipeline.acknowledge("alice");
        pipeline.notices();

        pipeline.atMinutes(10);
        assertThat(pipeline.notices()).containsExactly("NOTIFY update slack/ml-ops-oncall");
        pipeline.atMinutes(14);
        assertThat(pipeline.notices()).isEmpty();
        pipeline.atMinutes(20);
        assertThat(pipeline.notices()).contains("NOTIFY update slack/ml-ops-oncall");
    }

    @Test
    @Conformance(runbook = "001", section = "Model Performance Degradation, Step 3: Immediate Remediation")
    void modelDegradationSwitchesToThePreviousModelVersionOnceApproved() {
        pipeline.fire(RunbookPipeline.labelled(RunbookPipeline.named("ModelAccuracyDegraded", "critical"),
                "previous_model_version", "iris-random-forest:7"));
        assertThat(pipeline.timeline()).extracting(IncidentEvent::getType)
                .contains(IncidentEventType.ACTION_AWAITING_APPROVAL);

        pipeline.atMinutes(2);
        pipeline.command(io.runstream.avro.IncidentCommandType.APPROVE, "alice");

        RunbookPipeline.Sent switchBack = pipeline.sent().stream().filter(s -> s.type() == ActionType.SET_ENV)
                .findFirst().orElseThrow();
        assertThat(switchBack.parameters()).containsEntry("env.MODEL_VERSION", "iris-random-forest:7");
        assertThat(switchBack.command().getTarget().getName()).isEqualTo(RunbookPipeline.SERVICE);
    }

    @Test
    @Conformance(runbook = "001", section = "Model Performance Degradation, Step 3: Immediate Remediation")
    void modelDegradationSwitchesBackToTheVersionTheDriftReportsSawBeforeOnTheBuiltInRulesAndRunbooks() {
        // given: two drift reports of the model served as version 7
        pipeline.driftReport("iris-random-forest", "7", 0.1, 0.95, 0.95);
        pipeline.atMinutes(60);
        pipeline.driftReport("iris-random-forest", "7", 0.12, 0.94, 0.95);

        // when: version 8 serves and its accuracy is 13 points below the reference
        pipeline.atMinutes(120);
        pipeline.driftReport("iris-random-forest", "8", 0.1, 0.82, 0.95);

        // then: model-rollback holds "kubectl set env ... MODEL_VERSION=7" for approval, and asks for it
        assertThat(pipeline.timeline()).extracting(IncidentEvent::getType)
                .contains(IncidentEventType.ACTION_AWAITING_APPROVAL);
        assertThat(pipeline.sent()).filteredOn(s -> s.command().getCommandId().endsWith("/approval-request"))
                .singleElement().satisfies(ask -> assertThat(ask.parameters().get("summary"))
                        .contains("SET_ENV on Deployment ml-prod/inference-gateway (env.MODEL_VERSION=7)"));
        pipeline.atMinutes(122);
        pipeline.command(io.runstream.avro.IncidentCommandType.APPROVE, "alice");
        assertThat(pipeline.sent()).filteredOn(s -> s.type() == ActionType.SET_ENV).singleElement()
                .satisfies(switchBack -> {
                    assertThat(switchBack.parameters()).containsExactly(java.util.Map.entry("env.MODEL_VERSION", "7"));
                    assertThat(switchBack.command().getTarget().getName()).isEqualTo(RunbookPipeline.SERVICE);
                });
    }

    @Test
    @Conformance(runbook = "001", section = "High Error Rate: Severity Assessment")
    void aP1ErrorRateAboveTenPercentRollsBackAtOnceWithoutARecentRollout() {
        pipeline.fire(errorRate("critical", 0.12));

        assertThat(pipeline.sent()).filteredOn(s -> s.type() == ActionType.ROLLOUT_UNDO).singleElement()
                .satisfies(rollback -> {
                    assertThat(rollback.channel()).isEqualTo("Deployment/inference-gateway");
                    assertThat(rollback.command().getTarget().getNamespace()).isEqualTo(RunbookPipeline.NAMESPACE);
                    assertThat(rollback.command().getCommandId()).endsWith("/rollback-on-p1-error-rate/rollback");
                });
    }

    @Test
    @Conformance(runbook = "001", section = "High Error Rate: Severity Assessment")
    void aP1RollbackRefusedForLackOfAnEarlierRevisionLeavesTheIncidentToTheP1Chain() {
        pipeline.fire(errorRate("critical", 0.12));
        RunbookPipeline.Sent rollback = pipeline.sent().stream().filter(s -> s.type() == ActionType.ROLLOUT_UNDO)
                .findFirst().orElseThrow();

        // the worker refuses an undo with no earlier revision (REJECTED, revision_not_found)
        pipeline.atMinutes(1);
        pipeline.result(rollback.command(), ActionOutcome.REJECTED, "revision_not_found");

        assertThat(pipeline.timeline()).extracting(IncidentEvent::getMessage).contains(
                "runbook rollback-on-p1-error-rate has no step left: handed over to the P1 escalation chain");
        pipeline.atMinutes(5);
        assertThat(pipeline.notices()).contains("PAGE trigger pagerduty/tech-lead");
    }

    @Test
    @Conformance(runbook = "001", section = "High Error Rate: Severity Assessment")
    void aP2ErrorRateIsInvestigatedFirstNotRolledBack() {
        pipeline.fire(errorRate("warning", 0.06));

        assertThat(pipeline.incident().getSeverity()).isEqualTo(Severity.P2);
        assertThat(pipeline.sent()).noneMatch(s -> s.type() == ActionType.ROLLOUT_UNDO);
    }

    @Test
    @Conformance(runbook = "001", section = "General Response Procedure, Phase 4: immediate re-escalation")
    void aRegressionAfterResolutionPagesAgain() {
        pipeline.fire(errorRate("critical", 0.12));
        String firstPage = pipeline.sent().stream().filter(s -> s.type() == ActionType.PAGE).findFirst()
                .orElseThrow().command().getCommandId();
        pipeline.atMinutes(3);
        pipeline.resolve(errorRate("critical", 0.12));
        assertThat(pipeline.notices()).contains("PAGE resolve pagerduty/on-call");

        pipeline.atMinutes(8);
        pipeline.fire(errorRate("critical", 0.12));

        Incident reopened = pipeline.incident();
        assertThat(reopened.getReopenCount()).isEqualTo(1);
        assertThat(pipeline.timeline()).filteredOn(e -> e.getType() == IncidentEventType.REOPENED).singleElement()
                .satisfies(e -> assertThat(e.getDetails()).containsEntry("episode", "1"));
        RunbookPipeline.Sent page = pipeline.sent().stream().filter(s -> s.type() == ActionType.PAGE).findFirst()
                .orElseThrow();
        assertThat(page.toString()).isEqualTo("PAGE trigger pagerduty/on-call");
        assertThat(page.command().getCommandId()).isNotEqualTo(firstPage).contains("/reopen-1/");
        assertThat(page.command().getIncidentId()).isEqualTo(reopened.getId());
    }
}

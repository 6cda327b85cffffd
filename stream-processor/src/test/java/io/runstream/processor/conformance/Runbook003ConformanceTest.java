package io.runstream.processor.conformance;

import static io.runstream.processor.conformance.RunbookPipeline.errorRate;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.runstream.avro.ActionOutcome;
import io.runstream.avro.ActionType;
import io.runstream.avro.IncidentEvent;
import io.runstream.avro.IncidentEventType;
import io.runstream.avro.Severity;

/** Runbook 003 (HighErrorRate on the inference gateway): paging, PagerDuty's life cycle, communication. */
class Runbook003ConformanceTest {

    private RunbookPipeline pipeline = new RunbookPipeline();

    @AfterEach
    void close() {
        pipeline.close();
    }

    @Test
    @Conformance(runbook = "003", section = "Thresholds (critical pages on-call)")
    void aCriticalHighErrorRatePagesTheOnCallAtOnce() {
        pipeline.fire(errorRate("critical", 0.06));

        assertThat(pipeline.incident().getSeverity()).isEqualTo(Severity.P1);
        assertThat(pipeline.notices()).contains("PAGE trigger pagerduty/on-call");
    }

    @Test
    @Conformance(runbook = "003", section = "Step 1: Acknowledge the Alert")
    void acknowledgingInRunstreamAcknowledgesInPagerDuty() {
        pipeline.fire(errorRate("critical", 0.06));
        String dedupKey = pipeline.sent().stream().filter(s -> s.type() == ActionType.PAGE).findFirst().orElseThrow()
                .command().getIncidentId();
        pipeline.atMinutes(2);

        pipeline.acknowledge("alice");

        List<RunbookPipeline.Sent> sent = pipeline.sent();
        assertThat(sent).extracting(RunbookPipeline.Sent::toString).containsExactlyInAnyOrder(
                "PAGE acknowledge pagerduty/on-call", "NOTIFY update slack/ml-ops-oncall");
        assertThat(sent).allSatisfy(s -> assertThat(s.command().getIncidentId()).isEqualTo(dedupKey));
        RunbookPipeline.Sent slack = sent.stream().filter(s -> s.type() == ActionType.NOTIFY).findFirst().orElseThrow();
        assertThat(slack.command().getParameters()).containsEntry("status", "acknowledged")
                .containsEntry("commander", "alice");
    }

    @Test
    @Conformance(runbook = "003", section = "Step 4: Resolve PagerDuty Alert")
    void resolutionResolvesEveryPagedLevelWithTheSameDedupKey() {
        pipeline.fire(errorRate("critical", 0.06));
        pipeline.atMinutes(6);
        assertThat(pipeline.notices()).contains("PAGE trigger pagerduty/on-call", "PAGE trigger pagerduty/tech-lead");
        String dedupKey = pipeline.incident().getId();

        pipeline.resolve(errorRate("critical", 0.06));

        List<RunbookPipeline.Sent> closeOut = pipeline.sent();
        assertThat(closeOut).extracting(RunbookPipeline.Sent::toString).containsExactlyInAnyOrder(
                "NOTIFY resolved slack/ml-ops-oncall", "PAGE resolve pagerduty/on-call",
                "PAGE resolve pagerduty/tech-lead");
        assertThat(closeOut).allSatisfy(s -> assertThat(s.command().getIncidentId()).isEqualTo(dedupKey));
        assertThat(pipeline.timeline()).filteredOn(e -> e.getType() == IncidentEventType.ACTION_ISSUED)
                .extracting(IncidentEvent::getMessage).anyMatch(m -> m.startsWith("close-out: resolve the PagerDuty"));
    }

    @Test
    @Conformance(runbook = "003", section = "Step 4: Resolve PagerDuty Alert")
    void aPersonsResolutionClosesOutToo() {
        pipeline.fire(errorRate("critical", 0.06));
        pipeline.atMinutes(3);
        pipeline.notices();

        pipeline.resolveBy("alice");

        assertThat(pipeline.notices()).containsExactlyInAnyOrder("NOTIFY resolved slack/ml-ops-oncall",
                "PAGE resolve pagerduty/on-call");
    }

    @Test
    @Conformance(runbook = "003", section = "Communication: Initial Notification")
    void theInitialNotificationCarriesSeverityStartStatusErrorRateAndDashboard() {
        pipeline.close();
        pipeline = RunbookPipeline.withRunbooksFile("""
                escalation:
                  dashboardUrl: https://runstream.example.com/dashboard
                """);
        pipeline.fire(errorRate("critical", 0.12));

        RunbookPipeline.Sent initial = pipeline.sent().stream().filter(s -> s.type() == ActionType.NOTIFY)
                .findFirst().orElseThrow();
        assertThat(initial.parameters())
                .containsEntry("event", "opened")
                .containsEntry("severity", "P1")
                .containsEntry("status", "investigating")
                .containsEntry("impact", "error rate 12.0 %")
                .containsEntry("startedAt", RunbookPipeline.T0().toString())
                .containsEntry("dashboard", "https://runstream.example.com/dashboard?incident="
                        + pipeline.incident().getId());
    }

    @Test
    @Conformance(runbook = "003", section = "Communication: Status Update (every 10 minutes)")
    void statusUpdatesCarryTheCommanderTheActionsAndTheNextUpdate() {
        pipeline.rolledOut(Duration.ofMinutes(10));
        pipeline.fire(errorRate("critical", 0.12));
        pipeline.atMinutes(1);
        pipeline.acknowledge("alice");
        pipeline.sent();

        pipeline.atMinutes(10);

        RunbookPipeline.Sent update = pipeline.sent().stream().filter(s -> "update".equals(s.event())).findFirst()
                .orElseThrow();
        assertThat(update.parameters())
                .containsEntry("commander", "alice")
                .containsEntry("nextUpdateAt", RunbookPipeline.T0().plus(Duration.ofMinutes(20)).toString())
                .containsEntry("impact", "error rate 12.0 %");
        assertThat(update.parameters().get("actions")).contains("ACTION_ISSUED").contains("ROLLOUT_UNDO");
    }

    @Test
    @Conformance(runbook = "003", section = "External Communication (Status Page)")
    void theStatusPageIsOpenedUpdatedAtTheCadenceAndResolvedBesideSlack() {
        pipeline.close();
        pipeline = RunbookPipeline.withRunbooksFile("""
                escalation:
                  severities:
                    P1:
                      steps:
                        - {name: page-on-call, after: 0s, action: PAGE, channel: pagerduty/on-call}
                        - {name: status-page, after: 0s, action: NOTIFY, channel: statuspage/public}
                      statusUpdates: {every: 10m, channel: slack/ml-ops-oncall, alsoTo: [statuspage/public]}
                """);
        pipeline.fire(errorRate("critical", 0.12));
        assertThat(pipeline.notices()).contains("NOTIFY opened statuspage/public");

        pipeline.atMinutes(10);
        List<RunbookPipeline.Sent> updates = pipeline.sent();
        assertThat(updates).extracting(RunbookPipeline.Sent::toString)
                .containsExactly("NOTIFY update slack/ml-ops-oncall", "NOTIFY update statuspage/public");
        assertThat(updates).extracting(s -> s.command().getCommandId()).doesNotHaveDuplicates();

        pipeline.resolveBy("alice");
        assertThat(pipeline.notices()).contains("NOTIFY resolved statuspage/public", "NOTIFY resolved slack/ml-ops-oncall");
    }

    @Test
    @Conformance(runbook = "003", section = "Communication: Resolution Notification")
    void theResolutionNotificationCarriesTheDurationAndWhatResolvedIt() {
        pipeline.fire(errorRate("critical", 0.12));
        pipeline.atMinutes(22);
        pipeline.sent();

        pipeline.resolveBy("alice");

        RunbookPipeline.Sent resolution = pipeline.sent().stream().filter(s -> "resolved".equals(s.event()))
                .findFirst().orElseThrow();
        assertThat(resolution.parameters()).containsEntry("duration", "PT22M").containsEntry("resolvedBy", "alice")
                .containsEntry("status", "resolved");
    }

    @Test
    @Conformance(runbook = "003", section = "Mitigation Actions, Option 1; Resolution & Cleanup, Step 1: Verify Metrics")
    void aRollbackThatMitigatesKeepsPagingTheVpOnlyUntilResolved() {
        pipeline.rolledOut(Duration.ofMinutes(10));
        pipeline.fire(errorRate("critical", 0.12));
        RunbookPipeline.Sent rollback = pipeline.sent().stream().filter(s -> s.type() == ActionType.ROLLOUT_UNDO)
                .findFirst().orElseThrow();
        pipeline.atMinutes(2);
        pipeline.result(rollback.command(), ActionOutcome.SUCCEEDED);
        pipeline.atMinutes(3);
        pipeline.resolve(errorRate("critical", 0.12));
        pipeline.sent();

        // runbook 003: watch the error rate for 10 minutes before calling it resolved
        pipeline.atMinutes(12);
        assertThat(pipeline.incident().getResolvedAt()).isNull();
        pipeline.atMinutes(14);

        assertThat(pipeline.incident().getResolvedBy()).isEqualTo("recovery");
        assertThat(pipeline.notices()).contains("PAGE resolve pagerduty/on-call")
                .doesNotContain("PAGE trigger pagerduty/vp-engineering");
    }
}

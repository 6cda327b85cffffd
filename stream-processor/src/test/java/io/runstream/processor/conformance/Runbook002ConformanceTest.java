package io.runstream.processor.conformance;

import static io.runstream.processor.conformance.RunbookPipeline.errorRate;
import static io.runstream.processor.conformance.RunbookPipeline.named;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.runstream.avro.IncidentEvent;
import io.runstream.avro.IncidentEventType;

/** Runbook 002 (incident response process): who is told at each severity, and the incident record. */
class Runbook002ConformanceTest {

    private final RunbookPipeline pipeline = new RunbookPipeline();

    @AfterEach
    void close() {
        pipeline.close();
    }

    @Test
    @Conformance(runbook = "002", section = "Step 2: Alert & Notify (CRITICAL)")
    void aCriticalIncidentPagesTheOnCallAndPostsToSlack() {
        pipeline.fire(errorRate("critical", 0.30));

        assertThat(pipeline.notices()).containsExactly("NOTIFY opened slack/ml-ops-oncall",
                "PAGE trigger pagerduty/on-call");
    }

    @Test
    @Conformance(runbook = "002", section = "Step 2: Alert & Notify (HIGH)")
    void aHighIncidentNotifiesTheTeamInSlack() {
        pipeline.fire(errorRate("warning", 0.05));

        assertThat(pipeline.notices()).containsExactly("NOTIFY opened slack/ml-ops-oncall");
    }

    @Test
    @Conformance(runbook = "002", section = "Step 2: Alert & Notify (otherwise: create_jira_ticket)")
    void aLowerIncidentCreatesATicket() {
        pipeline.fire(named("HighDiskUsage", "warning"));

        assertThat(pipeline.notices()).containsExactly("TICKET opened ticket/ml-platform");
    }

    @Test
    @Conformance(runbook = "002", section = "4. Incident Tracking: Incident Record")
    void theResolutionCarriesTheIncidentRecordWithItsNotifications() {
        pipeline.fire(errorRate("critical", 0.30));
        pipeline.atMinutes(50);

        pipeline.resolveBy("alice");

        IncidentEvent resolved = pipeline.timeline().stream().filter(e -> e.getType() == IncidentEventType.RESOLVED)
                .findFirst().orElseThrow();
        assertThat(resolved.getDetails()).containsEntry("timeToResolve", "PT50M").containsKeys("timeline", "actions");
        assertThat(resolved.getDetails().get("actions")).contains("page-on-call").contains("page-vp-engineering");
        assertThat(pipeline.incident().getNotifiedChannels()).contains("pagerduty/on-call", "slack/ml-ops-oncall",
                "pagerduty/tech-lead", "pagerduty/vp-engineering");
    }
}
